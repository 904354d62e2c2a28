// Agents as the store's users reach them: enrolment, certificates,
// heartbeats, revocation, and each agent's push batches applied exactly
// once (enrol/agent_registry.h, ingest/batch_writer.h). Part of ServerStore.
#include "audit/audit_log.h"
#include "store/server_store.h"
#include "tributary/common/dates.h"

namespace tributary::server {

void ServerStore::AddToken(const std::string& token_hash, const std::string& practice,
                           std::int64_t expires_at_ms) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  AgentRegistry(db_).AddToken(token_hash, practice, expires_at_ms, NowMs());
  AuditLog(db_, audit_key_)
      .Append("operator", "token_create", practice,
              "enrolment token " + token_hash.substr(0, 12) + " valid until " +
                  FormatUtc(expires_at_ms),
              NowMs());
  txn.Commit();
}

TokenRefusal ServerStore::EnrolWithToken(
    const std::string& token_hash, const std::function<IssuedIdentity(const std::string&)>& issue) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  AgentRegistry agents(db_);
  std::string practice;
  TokenRefusal refusal = agents.CheckToken(token_hash, NowMs(), practice);
  if (refusal != TokenRefusal::kNone) return refusal;
  IssuedIdentity issued = issue(practice);
  agents.Enrol(token_hash, practice, issued, NowMs());
  AuditLog(db_, audit_key_)
      .Append("agent:" + issued.agent_id, "agent_enrol", practice,
              "with token " + token_hash.substr(0, 12) + "; certificate " + issued.serial_hex,
              NowMs());
  txn.Commit();
  return TokenRefusal::kNone;
}

std::optional<AgentIdentity> ServerStore::FindAgentByCertificate(const std::string& serial_hex) {
  std::lock_guard lock(mutex_);
  auto holder = AgentRegistry(db_).FindByCertificate(serial_hex, NowMs());
  if (!holder) return std::nullopt;
  return holder->agent;
}

std::optional<CertificateHolder> ServerStore::AuthenticateCertificate(
    const std::string& serial_hex) {
  std::lock_guard lock(mutex_);
  AgentRegistry agents(db_);
  auto holder = agents.FindByCertificate(serial_hex, NowMs());
  if (!holder || !holder->first_use || holder->agent.revoked || holder->retired) return holder;
  db::Transaction txn(db_);
  std::vector<std::string> retired = agents.UseCertificate(serial_hex, NowMs());
  if (!retired.empty()) {
    std::string serials;
    for (const std::string& serial : retired) serials += (serials.empty() ? "" : ", ") + serial;
    AuditLog(db_, audit_key_)
        .Append("agent:" + holder->agent.agent_id, "certificate_retire", holder->agent.agent_id,
                "certificate " + serial_hex + " in use; " + serials + " retired from " +
                    FormatUtc(NowMs() + kCertificateOverlapMs),
                NowMs());
  }
  txn.Commit();
  return holder;
}

std::int64_t ServerStore::LastRenewalMs(const std::string& agent_id) {
  std::lock_guard lock(mutex_);
  return AgentRegistry(db_).LastRenewedMs(agent_id);
}

bool ServerStore::AddCertificate(const std::string& agent_id, const std::string& serial_hex,
                                 std::int64_t not_after_ms, std::int64_t min_interval_ms) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  AgentRegistry agents(db_);
  if (agents.LastRenewedMs(agent_id) + min_interval_ms > NowMs()) return false;
  agents.AddRenewedCertificate(agent_id, serial_hex, not_after_ms, NowMs());
  AuditLog(db_, audit_key_)
      .Append("agent:" + agent_id, "agent_renew", agent_id,
              "certificate " + serial_hex + " until " + FormatUtc(not_after_ms), NowMs());
  txn.Commit();
  return true;
}

std::int64_t ServerStore::RecordHeartbeat(const AgentIdentity& agent,
                                          const protocol::Heartbeat& heartbeat) {
  std::lock_guard lock(mutex_);
  std::int64_t now = NowMs();
  AgentRegistry(db_).RecordHeartbeat(agent, heartbeat, now);
  return now;
}

void ServerStore::MarkAgentSeen(const AgentIdentity& agent) {
  std::lock_guard lock(mutex_);
  AgentRegistry(db_).MarkSeen(agent, NowMs());
}

std::vector<AgentStatus> ServerStore::AgentStatuses() {
  std::lock_guard lock(mutex_);
  return AgentRegistry(db_).Statuses();
}

std::vector<AgentStatus> ServerStore::AgentStatusesOf(const std::vector<std::string>& practices) {
  std::lock_guard lock(mutex_);
  return AgentRegistry(db_).StatusesOf(practices);
}

int ServerStore::RevokeAgents(const std::string& practice, const std::string& actor) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  int revoked = AgentRegistry(db_).Revoke(practice, NowMs());
  if (revoked > 0) {
    AuditLog(db_, audit_key_)
        .Append(actor, "agents_revoke", practice, std::to_string(revoked) + " agent(s)", NowMs());
  }
  txn.Commit();
  return revoked;
}

ApplyResult ServerStore::ApplyBatch(const AgentIdentity& agent, const protocol::PushBatch& batch,
                                    const std::vector<CheckedChange>& checked) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  PeriodBook periods(db_);
  ApplyResult result =
      BatchWriter(db_, MonthClosedCheckLocked(periods)).Apply(agent, batch, checked, NowMs());
  if (!result.gap) txn.Commit();
  return result;
}

std::uint64_t ServerStore::AcknowledgedSeq(const std::string& agent_id) {
  std::lock_guard lock(mutex_);
  return AgentRegistry(db_).HighWaterMark(agent_id).value_or(0);
}

std::vector<pki::RevokedCertificate> ServerStore::RevokedCertificates() {
  std::lock_guard lock(mutex_);
  // A revoked agent's certificates from its revocation; a retired
  // certificate from its retirement; whichever came first.
  auto stmt = db_.Prepare(
      "SELECT c.serial_hex, CASE WHEN a.revoked_at_ms IS NOT NULL AND "
      "(c.retired_at_ms IS NULL OR a.revoked_at_ms < c.retired_at_ms) "
      "THEN a.revoked_at_ms ELSE c.retired_at_ms END "
      "FROM certificates c JOIN agents a ON a.agent_id = c.agent_id "
      "WHERE c.not_after_ms > ? AND (a.revoked_at_ms IS NOT NULL OR c.retired_at_ms <= ?) "
      "ORDER BY c.serial_hex");
  stmt.Bind(1, NowMs()).Bind(2, NowMs());
  std::vector<pki::RevokedCertificate> out;
  while (stmt.Step()) {
    out.push_back({stmt.ColumnText(0), std::chrono::system_clock::time_point(
                                           std::chrono::milliseconds(stmt.ColumnInt(1)))});
  }
  return out;
}

}  // namespace tributary::server
