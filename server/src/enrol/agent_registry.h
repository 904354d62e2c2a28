// Agents inside the server's store: one-time enrolment tokens (kept as
// hashes), the agents they enrolled with each one's high-water mark (the last
// seq applied from it, docs/design.md invariant 2), their certificates, and
// what each last said of its health.
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe on its own; ServerStore serialises it. Failures throw
// tributary::Error(kDatabase).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "database/connection.h"
#include "tributary/protocol/messages.h"

namespace tributary::server {

struct AgentIdentity {
  std::string agent_id;
  std::string practice;
  bool revoked = false;
};

// How long an agent's previous certificate still works once its renewed one
// has been used: requests already under way with the old key finish, and
// then only the new certificate is accepted.
inline constexpr std::int64_t kCertificateOverlapMs = 60 * 60 * 1000;

// An agent found by one of its certificates, and that certificate's state.
//
//   issued --(first request with it)--> in use --(a newer one of the same
//   agent is first used; kCertificateOverlapMs later)--> retired
//
// Retired certificates are refused (401 certificate_retired) and listed on
// the CA's revocation list until they expire.
struct CertificateHolder {
  AgentIdentity agent;
  bool first_use = false;  // never presented before
  bool retired = false;    // superseded, and its overlap is over
};

// What the enrolment service issues once a token has been accepted.
struct IssuedIdentity {
  std::string agent_id;
  std::string serial_hex;
  std::int64_t not_after_ms = 0;
  std::uint64_t resume_after_seq = 0;  // the new agent's high-water mark starts here
};

// What `tributary-server agents` shows of each practice's agent.
struct AgentStatus {
  std::string practice;
  std::string agent_id;
  bool revoked = false;
  std::int64_t enrolled_at_ms = 0;
  std::int64_t last_seen_ms = 0;  // last heartbeat or sync; 0: never
  std::string agent_version;
  std::uint64_t acknowledged_seq = 0;  // what the server holds
  std::uint64_t agent_last_seq = 0;    // what the agent had queued, as it last said
  std::uint64_t queue_depth = 0;
  std::uint64_t store_bytes = 0;
  std::int64_t clock_skew_ms = 0;  // agent's clock minus the server's
  std::int64_t certificate_not_after_ms = 0;
  std::string last_error;
  bool imports_paused = false;
  std::vector<std::string> trusted_ca_sha256;  // the CAs it trusts the server by, as it last said
};

enum class TokenRefusal { kNone, kUnknown, kUsed, kExpired };

class AgentRegistry {
 public:
  // `db` must outlive the registry.
  explicit AgentRegistry(db::Connection& db) : db_(db) {}

  static void CreateSchema(db::Connection& db);

  void AddToken(const std::string& token_hash, const std::string& practice,
                std::int64_t expires_at_ms, std::int64_t now_ms);
  // Whether the token may enrol now and, if so, the practice it is bound to.
  TokenRefusal CheckToken(const std::string& token_hash, std::int64_t now_ms,
                          std::string& practice);
  // Records the token as used and the new agent with its certificate.
  void Enrol(const std::string& token_hash, const std::string& practice,
             const IssuedIdentity& identity, std::int64_t now_ms);

  // The certificate's agent and state at `now_ms`; nullopt for a serial never
  // issued to an agent.
  std::optional<CertificateHolder> FindByCertificate(const std::string& serial_hex,
                                                     std::int64_t now_ms);
  // Records the certificate's first use and retires its agent's older
  // certificates kCertificateOverlapMs from now. Returns the serials retired.
  std::vector<std::string> UseCertificate(const std::string& serial_hex, std::int64_t now_ms);
  // When the agent last renewed its certificate (ms); 0 if never.
  std::int64_t LastRenewedMs(const std::string& agent_id);
  void AddRenewedCertificate(const std::string& agent_id, const std::string& serial_hex,
                             std::int64_t not_after_ms, std::int64_t now_ms);

  void RecordHeartbeat(const AgentIdentity& agent, const protocol::Heartbeat& heartbeat,
                       std::int64_t now_ms);
  void MarkSeen(const AgentIdentity& agent, std::int64_t now_ms);
  // Every agent, by practice, newest enrolment first.
  std::vector<AgentStatus> Statuses();
  // The agents of `practices` only, in that order of practice, newest
  // enrolment of each first.
  std::vector<AgentStatus> StatusesOf(const std::vector<std::string>& practices);
  // Revokes every agent of the practice; returns how many.
  int Revoke(const std::string& practice, std::int64_t now_ms);

  // Every agent ever enrolled for the practice, revoked ones included.
  std::set<std::string> AgentIdsOf(const std::string& practice);
  // The last seq applied from the agent; nullopt for an unknown agent.
  std::optional<std::uint64_t> HighWaterMark(const std::string& agent_id);
  // Moves the high-water mark and the last sync, in the batch's transaction.
  void Advance(const std::string& agent_id, std::uint64_t high_water_mark, std::int64_t now_ms);
  // Each enrolled practice's latest sync by any of its agents; 0 if never.
  std::map<std::string, std::int64_t> LastSyncs();

 private:
  db::Connection& db_;
};

}  // namespace tributary::server
