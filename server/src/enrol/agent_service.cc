#include "enrol/agent_service.h"

#include <chrono>

#include "store/server_store.h"
#include "tributary/common/dates.h"

namespace tributary::server {

void AgentService::AddToken(const std::string& token_hash, const std::string& practice,
                            std::int64_t expires_at_ms) {
  store_.Write([&](StoreTransaction& t) {
    AgentRegistry(t.db()).AddToken(token_hash, practice, expires_at_ms, t.NowMs());
    t.Audit(
        "operator", "token_create", practice,
        "enrolment token " + token_hash.substr(0, 12) + " valid until " + FormatUtc(expires_at_ms));
  });
}

TokenRefusal AgentService::EnrolWithToken(
    const std::string& token_hash, const std::function<IssuedIdentity(const std::string&)>& issue) {
  return store_.Write([&](StoreTransaction& t) {
    AgentRegistry agents(t.db());
    std::string practice;
    TokenRefusal refusal = agents.CheckToken(token_hash, t.NowMs(), practice);
    if (refusal != TokenRefusal::kNone) return refusal;
    IssuedIdentity issued = issue(practice);
    agents.Enrol(token_hash, practice, issued, t.NowMs());
    t.Audit("agent:" + issued.agent_id, "agent_enrol", practice,
            "with token " + token_hash.substr(0, 12) + "; certificate " + issued.serial_hex);
    return TokenRefusal::kNone;
  });
}

std::optional<AgentIdentity> AgentService::FindByCertificate(const std::string& serial_hex) {
  auto holder = store_.Read([&](StoreReading& r) {
    return AgentRegistry(r.db()).FindByCertificate(serial_hex, r.NowMs());
  });
  if (!holder) return std::nullopt;
  return holder->agent;
}

// Read first: only a certificate's first use writes, so an agent's every
// request does not queue behind the store's writers.
std::optional<CertificateHolder> AgentService::Authenticate(const std::string& serial_hex) {
  auto holder = store_.Read([&](StoreReading& r) {
    return AgentRegistry(r.db()).FindByCertificate(serial_hex, r.NowMs());
  });
  if (!holder || !holder->first_use || holder->agent.revoked || holder->retired) return holder;
  return store_.Write([&](StoreTransaction& t) {
    AgentRegistry agents(t.db());
    auto now = agents.FindByCertificate(serial_hex, t.NowMs());
    if (!now || !now->first_use || now->agent.revoked || now->retired) return now;
    std::vector<std::string> retired = agents.UseCertificate(serial_hex, t.NowMs());
    if (!retired.empty()) {
      std::string serials;
      for (const std::string& serial : retired) serials += (serials.empty() ? "" : ", ") + serial;
      t.Audit("agent:" + now->agent.agent_id, "certificate_retire", now->agent.agent_id,
              "certificate " + serial_hex + " in use; " + serials + " retired from " +
                  FormatUtc(t.NowMs() + kCertificateOverlapMs));
    }
    return now;
  });
}

std::int64_t AgentService::LastRenewalMs(const std::string& agent_id) {
  return store_.Read(
      [&](StoreReading& r) { return AgentRegistry(r.db()).LastRenewedMs(agent_id); });
}

bool AgentService::AddCertificate(const std::string& agent_id, const std::string& serial_hex,
                                  std::int64_t not_after_ms, std::int64_t min_interval_ms) {
  return store_.Write([&](StoreTransaction& t) {
    AgentRegistry agents(t.db());
    if (agents.LastRenewedMs(agent_id) + min_interval_ms > t.NowMs()) return false;
    agents.AddRenewedCertificate(agent_id, serial_hex, not_after_ms, t.NowMs());
    t.Audit("agent:" + agent_id, "agent_renew", agent_id,
            "certificate " + serial_hex + " until " + FormatUtc(not_after_ms));
    return true;
  });
}

std::vector<pki::RevokedCertificate> AgentService::RevokedCertificates() {
  return store_.Read([](StoreReading& r) {
    // A revoked agent's certificates from its revocation; a retired
    // certificate from its retirement; whichever came first.
    auto stmt = r.db().Prepare(
        "SELECT c.serial_hex, CASE WHEN a.revoked_at_ms IS NOT NULL AND "
        "(c.retired_at_ms IS NULL OR a.revoked_at_ms < c.retired_at_ms) "
        "THEN a.revoked_at_ms ELSE c.retired_at_ms END "
        "FROM certificates c JOIN agents a ON a.agent_id = c.agent_id "
        "WHERE c.not_after_ms > ? AND (a.revoked_at_ms IS NOT NULL OR c.retired_at_ms <= ?) "
        "ORDER BY c.serial_hex");
    stmt.Bind(1, r.NowMs()).Bind(2, r.NowMs());
    std::vector<pki::RevokedCertificate> out;
    while (stmt.Step()) {
      out.push_back({stmt.ColumnText(0), std::chrono::system_clock::time_point(
                                             std::chrono::milliseconds(stmt.ColumnInt(1)))});
    }
    return out;
  });
}

int AgentService::Revoke(const std::string& practice, const std::string& actor) {
  return store_.Write([&](StoreTransaction& t) {
    int revoked = AgentRegistry(t.db()).Revoke(practice, t.NowMs());
    if (revoked > 0)
      t.Audit(actor, "agents_revoke", practice, std::to_string(revoked) + " agent(s)");
    return revoked;
  });
}

std::int64_t AgentService::RecordHeartbeat(const AgentIdentity& agent,
                                           const protocol::Heartbeat& heartbeat) {
  return store_.Write([&](StoreTransaction& t) {
    std::int64_t now = t.NowMs();
    AgentRegistry(t.db()).RecordHeartbeat(agent, heartbeat, now);
    return now;
  });
}

void AgentService::MarkSeen(const AgentIdentity& agent) {
  store_.Write([&](StoreTransaction& t) { AgentRegistry(t.db()).MarkSeen(agent, t.NowMs()); });
}

std::vector<AgentStatus> AgentService::Statuses() {
  return store_.Read([](StoreReading& r) { return AgentRegistry(r.db()).Statuses(); });
}

std::vector<AgentStatus> AgentService::StatusesOf(const std::vector<std::string>& practices) {
  return store_.Read([&](StoreReading& r) { return AgentRegistry(r.db()).StatusesOf(practices); });
}

std::uint64_t AgentService::AcknowledgedSeq(const std::string& agent_id) {
  return store_.Read(
      [&](StoreReading& r) { return AgentRegistry(r.db()).HighWaterMark(agent_id).value_or(0); });
}

}  // namespace tributary::server
