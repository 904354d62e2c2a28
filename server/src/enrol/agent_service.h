// The practices' agents as the server knows them: enrolment tokens, the
// certificates agents present (their first use, renewal, retirement and
// revocation), heartbeats, and each agent's acknowledged position. Each call
// is one unit of work of the store (store/server_store.h); the tables are
// enrol/agent_registry.h's. The policy (what a certificate is issued for,
// how long a token lives) is enrol/enrolment_service.h's.
//
// Failures throw tributary::Error (the store's). Thread-safe as the store
// is; holds only a reference to the store, which must outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "enrol/agent_registry.h"
#include "tributary/common/pki.h"
#include "tributary/protocol/messages.h"

namespace tributary::server {

class ServerStore;

class AgentService {
 public:
  explicit AgentService(ServerStore& store) : store_(store) {}

  // Keeps an enrolment token (its hash) for `practice`, audited.
  void AddToken(const std::string& token_hash, const std::string& practice,
                std::int64_t expires_at_ms);
  // Checks the token and, if it is valid, calls `issue(practice)` and records
  // the token as used and the new agent and certificate — all in one
  // transaction, so a token enrols at most one agent. Audited.
  TokenRefusal EnrolWithToken(const std::string& token_hash,
                              const std::function<IssuedIdentity(const std::string&)>& issue);

  // The agent a certificate was issued to, whatever the certificate's state.
  std::optional<AgentIdentity> FindByCertificate(const std::string& serial_hex);
  // The certificate's agent and state, for a request that presents it. Its
  // first use retires the agent's older certificates (after the overlap,
  // enrol/agent_registry.h), audited, in one transaction.
  std::optional<CertificateHolder> Authenticate(const std::string& serial_hex);
  // When the agent last renewed its certificate (ms); 0 if never.
  std::int64_t LastRenewalMs(const std::string& agent_id);
  // Records a renewed certificate for an enrolled agent, audited, unless the
  // agent last renewed less than `min_interval_ms` ago (then records nothing
  // and returns false): checked in the same transaction, so two renewals at
  // once make one certificate.
  bool AddCertificate(const std::string& agent_id, const std::string& serial_hex,
                      std::int64_t not_after_ms, std::int64_t min_interval_ms);
  // The certificates of revoked agents, and retired certificates, not yet
  // expired, for the CA's CRL.
  std::vector<pki::RevokedCertificate> RevokedCertificates();
  // Revokes every agent of the practice (they get 401 identity_revoked and
  // must enrol again). Audited. Returns how many were revoked.
  int Revoke(const std::string& practice, const std::string& actor);

  // Records what the agent said of its health. Returns the server's time it
  // was recorded at.
  std::int64_t RecordHeartbeat(const AgentIdentity& agent, const protocol::Heartbeat& heartbeat);
  // An agent that pulled is alive: agents send a heartbeat only when their
  // health changed or hourly, so a pull counts as seen too.
  void MarkSeen(const AgentIdentity& agent);
  // Every agent, newest enrolment of each practice first. Sorted by practice.
  std::vector<AgentStatus> Statuses();
  // The same for `practices` only: what a page of one PCN or ICS reads.
  std::vector<AgentStatus> StatusesOf(const std::vector<std::string>& practices);
  // The last seq of the agent's the server holds (its high-water mark).
  std::uint64_t AcknowledgedSeq(const std::string& agent_id);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
