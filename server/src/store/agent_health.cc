// Agents as the operator sees them: heartbeats, renewed certificates,
// revocation, and the health listing behind `tributary-server agents` and
// GET /v1/agents. Part of ServerStore.
#include "store/server_store.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

std::int64_t Signed(std::uint64_t v) { return static_cast<std::int64_t>(v); }
std::uint64_t Unsigned(std::int64_t v) { return v < 0 ? 0 : static_cast<std::uint64_t>(v); }

}  // namespace

void ServerStore::AddCertificate(const std::string& agent_id, const std::string& serial_hex,
                                 std::int64_t not_after_ms) {
  std::lock_guard lock(mutex_);
  auto cert = db_.Prepare(
      "INSERT INTO certificates (serial_hex, agent_id, issued_at_ms, not_after_ms) "
      "VALUES (?, ?, ?, ?)");
  cert.Bind(1, serial_hex).Bind(2, agent_id).Bind(3, NowMs()).Bind(4, not_after_ms);
  cert.Run();
}

std::int64_t ServerStore::RecordHeartbeat(const AgentIdentity& agent,
                                          const protocol::Heartbeat& h) {
  std::lock_guard lock(mutex_);
  std::int64_t now = NowMs();
  auto save = db_.Prepare(
      "INSERT INTO agent_health (agent_id, seen_at_ms, agent_version, queue_depth, last_seq, "
      "store_bytes, clock_skew_ms, certificate_not_after_ms, last_error, imports_paused) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET "
      "seen_at_ms = excluded.seen_at_ms, agent_version = excluded.agent_version, "
      "queue_depth = excluded.queue_depth, last_seq = excluded.last_seq, "
      "store_bytes = excluded.store_bytes, clock_skew_ms = excluded.clock_skew_ms, "
      "certificate_not_after_ms = excluded.certificate_not_after_ms, "
      "last_error = excluded.last_error, imports_paused = excluded.imports_paused");
  save.Bind(1, agent.agent_id).Bind(2, now).Bind(3, h.agent_version);
  save.Bind(4, Signed(h.queue_depth)).Bind(5, Signed(h.last_seq)).Bind(6, Signed(h.store_bytes));
  save.Bind(7, Signed(h.agent_time_ms) - now).Bind(8, Signed(h.certificate_not_after_ms));
  save.Bind(9, h.last_error).Bind(10, std::int64_t{h.imports_paused ? 1 : 0});
  save.Run();
  return now;
}

void ServerStore::MarkAgentSeen(const AgentIdentity& agent) {
  std::lock_guard lock(mutex_);
  auto seen = db_.Prepare("UPDATE agent_health SET seen_at_ms = ? WHERE agent_id = ?");
  seen.Bind(1, NowMs()).Bind(2, agent.agent_id);
  seen.Run();
}

std::vector<AgentStatus> ServerStore::AgentStatuses() {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare(R"sql(
SELECT a.practice, a.agent_id, a.revoked_at_ms IS NOT NULL, a.enrolled_at_ms,
       max(coalesce(h.seen_at_ms, 0), coalesce(a.last_sync_ms, 0)),
       coalesce(h.agent_version, ''), a.acknowledged_seq, coalesce(h.last_seq, 0),
       coalesce(h.queue_depth, 0), coalesce(h.store_bytes, 0), coalesce(h.clock_skew_ms, 0),
       (SELECT max(not_after_ms) FROM certificates c WHERE c.agent_id = a.agent_id),
       coalesce(h.last_error, ''), coalesce(h.imports_paused, 0)
FROM agents a LEFT JOIN agent_health h ON h.agent_id = a.agent_id
ORDER BY a.practice, a.enrolled_at_ms DESC, a.agent_id
)sql");
  std::vector<AgentStatus> out;
  while (stmt.Step()) {
    AgentStatus s;
    s.practice = stmt.ColumnText(0);
    s.agent_id = stmt.ColumnText(1);
    s.revoked = stmt.ColumnInt(2) != 0;
    s.enrolled_at_ms = stmt.ColumnInt(3);
    s.last_seen_ms = stmt.ColumnInt(4);
    s.agent_version = stmt.ColumnText(5);
    s.acknowledged_seq = Unsigned(stmt.ColumnInt(6));
    s.agent_last_seq = Unsigned(stmt.ColumnInt(7));
    s.queue_depth = Unsigned(stmt.ColumnInt(8));
    s.store_bytes = Unsigned(stmt.ColumnInt(9));
    s.clock_skew_ms = stmt.ColumnInt(10);
    s.certificate_not_after_ms = stmt.ColumnInt(11);
    s.last_error = stmt.ColumnText(12);
    s.imports_paused = stmt.ColumnInt(13) != 0;
    out.push_back(std::move(s));
  }
  return out;
}

int ServerStore::RevokeAgents(const std::string& practice, const std::string& actor) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction txn(db_);
  auto revoke = db_.Prepare(
      "UPDATE agents SET revoked_at_ms = ? WHERE practice = ? AND revoked_at_ms IS NULL");
  revoke.Bind(1, NowMs()).Bind(2, practice);
  revoke.Run();
  auto count = db_.Prepare("SELECT changes()");
  count.Step();
  int revoked = static_cast<int>(count.ColumnInt(0));
  if (revoked > 0) {
    AppendAuditLocked(actor, "agents_revoke", practice, std::to_string(revoked) + " agent(s)");
  }
  txn.Commit();
  return revoked;
}

}  // namespace tributary::server
