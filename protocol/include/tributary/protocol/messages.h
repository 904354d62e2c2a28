// Sync protocol v1 messages. docs/protocol.md gives the wire format as a
// grammar with examples; this header is its C++ shape.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tributary/common/dataset.h"

namespace tributary::protocol {

// The protocol version every message carries as "v": "MAJOR.MINOR". A peer
// refuses an unknown major version; a newer minor only adds optional fields.
inline constexpr int kMajorVersion = 1;
inline constexpr int kMinorVersion = 0;

// POST /v1/enrol — a one-time token and a certificate signing request.
struct EnrolRequest {
  std::string token;
  std::string csr_pem;
  std::string agent_version;
  // An agent enrolling again (its identity revoked or lost) has sent changes
  // up to here already; its new identity continues after them.
  std::uint64_t resume_after_seq = 0;
};

// The reply: the agent's identity. No secret of the ICS comes with it: person
// keys are made with the server (PersonKeyRequest).
struct EnrolReply {
  std::string practice;
  std::string certificate_pem;
  std::string ca_certificate_pem;
  std::string signing_public_key;  // hex: the key its receipts are signed with
};

// POST /v1/person-keys (mTLS): person identifiers the agent has blinded
// (RFC 9497's OPRF, ristretto255-SHA512), each an element in 64 hex
// characters. The server evaluates each with its OPRF key and answers the
// evaluated elements in the same order; the agent unblinds them into person
// keys. The server never sees an identifier.
inline constexpr std::size_t kMaxPersonKeysPerRequest = 1000;
struct PersonKeyRequest {
  std::vector<std::string> blinded;
};
struct PersonKeyReply {
  std::vector<std::string> evaluated;
};

// POST /v1/renew (mTLS): a new certificate for the same identity, before the
// current one expires. The agent makes a new key for it.
struct RenewRequest {
  std::string csr_pem;
  std::string agent_version;
};

struct RenewReply {
  std::string certificate_pem;
  std::uint64_t not_after_ms = 0;
};

// POST /v1/agent/heartbeat (mTLS): how the agent is, for the operator's
// `tributary-server agents`.
struct Heartbeat {
  std::string agent_version;
  std::uint64_t queue_depth = 0;  // changes not yet acknowledged
  std::uint64_t last_seq = 0;     // the newest change queued
  std::uint64_t store_bytes = 0;
  std::uint64_t agent_time_ms = 0;  // its clock when sent: the server works out the skew
  std::uint64_t certificate_not_after_ms = 0;
  std::string last_error;       // "" when the last sync went well
  bool imports_paused = false;  // the disk budget was reached
  // SHA-256 of each CA certificate the agent trusts the server by (its
  // ca.pem); empty from agents before CA rollovers.
  std::vector<std::string> trusted_ca_sha256;
};

inline constexpr std::size_t kMaxTrustedCas = 8;

struct HeartbeatReply {
  std::uint64_t server_time_ms = 0;
  // Every CA certificate agents are to trust the server by (PEM, one after
  // another): the CA, and during a rollover the next or previous one. ""
  // from servers before CA rollovers.
  std::string ca_certificates_pem;
};

enum class ChangeOp { kUpsert, kDelete };

// One change to one record. `version` is the agent's hybrid-logical-clock
// timestamp of the change; `base_version` the version it replaced (0: none).
struct Change {
  std::uint64_t seq = 0;
  std::string dataset;
  std::string key;
  ChangeOp op = ChangeOp::kUpsert;
  std::uint64_t version = 0;
  std::uint64_t base_version = 0;
  FieldMap fields;  // the whole record for an upsert; empty for a delete
};

// POST /v1/sync/push — consecutive changes from_seq..to_seq.
struct PushBatch {
  std::string practice;
  std::uint64_t from_seq = 0;
  std::uint64_t to_seq = 0;
  std::vector<Change> changes;
};

enum class Outcome { kAccepted, kInvalid, kConflict };

struct ChangeOutcome {
  std::uint64_t seq = 0;
  Outcome outcome = Outcome::kAccepted;
  std::vector<FieldFinding> reasons;
};

// What the server signs for every batch it answered (tributary/protocol/receipt.h):
// it holds practice's changes from_seq..to_seq, whose encoding (the batch as
// protocol::Encode writes it) has SHA-256 changes_sha256, and every change of
// the agent up to acknowledged_seq; at at_ms, under the Ed25519 key
// public_key (hex), with signature (hex) over ReceiptText.
struct Receipt {
  std::string practice;
  std::uint64_t from_seq = 0;
  std::uint64_t to_seq = 0;
  std::uint64_t acknowledged_seq = 0;
  std::string changes_sha256;
  std::uint64_t at_ms = 0;
  std::string public_key;
  std::string signature;
};

// The reply: the server's high-water mark for this agent after the batch,
// the outcome of every change that was not simply accepted, and the
// server's signed receipt.
struct PushReply {
  std::uint64_t acknowledged_seq = 0;
  std::uint64_t accepted = 0;
  std::vector<ChangeOutcome> outcomes;
  std::optional<Receipt> receipt;
};

// Every refusal, with a stable code (docs/protocol.md lists them).
struct ErrorReply {
  std::string code;
  std::string message;
  std::optional<std::uint64_t> resume_from;  // for "sequence_gap": the seq to send next
};

// GET /v1/sync/pull?cursor=N — what the server has to tell the practice
// since position N of its feed: its returns' states and revisions with the
// PCN manager's queries, central corrections and conflict resolutions,
// cross-practice findings, months its ICS closed or reopened, and its place in
// the hierarchy (docs/protocol.md gives each kind's fields). Kinds a peer
// does not know are skipped, so new kinds can be added in a minor version.
struct Notice {
  std::uint64_t id = 0;  // position in the practice's feed, increasing
  std::string kind;      // "return", "correction", "findings", "period", "hierarchy"
  FieldMap fields;
};

struct PullReply {
  std::vector<Notice> notices;  // oldest first
  std::uint64_t cursor = 0;     // the position to ask from next time
  bool more = false;            // more notices wait beyond this reply
  // The server's high-water mark of the asking agent's changes: below the
  // agent's acknowledged seq after the server was restored from a backup,
  // so the agent sends the rest again. Absent from servers before 1.3.
  std::optional<std::uint64_t> acknowledged_seq;
};

}  // namespace tributary::protocol
