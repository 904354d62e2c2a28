#include "enrol/agent_registry.h"

#include <algorithm>

namespace tributary::server {

void AgentRegistry::CreateSchema(db::Connection& db) {
  db.ExecSchema(R"sql(
-- One-time enrolment tokens, stored as SHA-256 hashes only.
CREATE TABLE IF NOT EXISTS tokens (
  token_hash    TEXT PRIMARY KEY,
  practice      TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  used_at_ms    INTEGER,
  used_by_agent TEXT
) WITHOUT ROWID;

-- An agent is one enrolled installation; its high-water mark is the last seq
-- applied from it.
CREATE TABLE IF NOT EXISTS agents (
  agent_id         TEXT PRIMARY KEY,
  practice         TEXT NOT NULL,
  enrolled_at_ms   INTEGER NOT NULL,
  acknowledged_seq INTEGER NOT NULL DEFAULT 0,
  last_sync_ms     INTEGER,
  revoked_at_ms    INTEGER
) WITHOUT ROWID;

-- What each agent last said of its health (POST /v1/agent/heartbeat).
CREATE TABLE IF NOT EXISTS agent_health (
  agent_id                 TEXT PRIMARY KEY REFERENCES agents (agent_id),
  seen_at_ms               INTEGER NOT NULL,
  agent_version            TEXT NOT NULL,
  queue_depth              INTEGER NOT NULL,
  last_seq                 INTEGER NOT NULL,
  store_bytes              INTEGER NOT NULL,
  clock_skew_ms            INTEGER NOT NULL,
  certificate_not_after_ms INTEGER NOT NULL,
  last_error               TEXT NOT NULL,
  imports_paused           INTEGER NOT NULL,
  trusted_ca               TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- Every certificate issued to an agent, at enrolment or renewed (1): first
-- used when it was first presented, retired once a newer one was used
-- (agent_registry.h).
CREATE TABLE IF NOT EXISTS certificates (
  serial_hex       TEXT PRIMARY KEY,
  agent_id         TEXT NOT NULL REFERENCES agents (agent_id),
  issued_at_ms     INTEGER NOT NULL,
  not_after_ms     INTEGER NOT NULL,
  renewed          INTEGER NOT NULL DEFAULT 0,
  first_used_at_ms INTEGER,
  retired_at_ms    INTEGER
) WITHOUT ROWID;

-- An agent's certificates and a practice's agents, for the health reports
-- (a nation's statuses were a scan of every certificate per agent).
CREATE INDEX IF NOT EXISTS certificates_by_agent ON certificates (agent_id, not_after_ms);
CREATE INDEX IF NOT EXISTS agents_by_practice ON agents (practice);
)sql");
  // Stores of schema 7 and before: agents never said which CAs they trust,
  // and certificates were never retired.
  if (!db.HasColumn("agent_health", "trusted_ca")) {
    db.ExecSchema("ALTER TABLE agent_health ADD COLUMN trusted_ca TEXT NOT NULL DEFAULT ''");
  }
  if (!db.HasColumn("certificates", "first_used_at_ms")) {
    db.ExecSchema(
        "ALTER TABLE certificates ADD COLUMN renewed INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE certificates ADD COLUMN first_used_at_ms INTEGER;"
        "ALTER TABLE certificates ADD COLUMN retired_at_ms INTEGER;");
  }
}

void AgentRegistry::AddToken(const std::string& token_hash, const std::string& practice,
                             std::int64_t expires_at_ms, std::int64_t now_ms) {
  auto stmt = db_.Prepare(
      "INSERT INTO tokens (token_hash, practice, created_at_ms, expires_at_ms) "
      "VALUES (?, ?, ?, ?)");
  stmt.Bind(1, token_hash).Bind(2, practice).Bind(3, now_ms).Bind(4, expires_at_ms);
  stmt.Run();
}

TokenRefusal AgentRegistry::CheckToken(const std::string& token_hash, std::int64_t now_ms,
                                       std::string& practice) {
  auto find = db_.Prepare(
      "SELECT practice, expires_at_ms, used_at_ms IS NOT NULL FROM tokens WHERE token_hash = ?");
  find.Bind(1, token_hash);
  if (!find.Step()) return TokenRefusal::kUnknown;
  if (find.ColumnInt(2) != 0) return TokenRefusal::kUsed;
  if (find.ColumnInt(1) <= now_ms) return TokenRefusal::kExpired;
  practice = find.ColumnText(0);
  return TokenRefusal::kNone;
}

void AgentRegistry::Enrol(const std::string& token_hash, const std::string& practice,
                          const IssuedIdentity& identity, std::int64_t now_ms) {
  auto use =
      db_.Prepare("UPDATE tokens SET used_at_ms = ?, used_by_agent = ? WHERE token_hash = ?");
  use.Bind(1, now_ms).Bind(2, identity.agent_id).Bind(3, token_hash);
  use.Run();
  auto agent = db_.Prepare(
      "INSERT INTO agents (agent_id, practice, enrolled_at_ms, acknowledged_seq) "
      "VALUES (?, ?, ?, ?)");
  agent.Bind(1, identity.agent_id).Bind(2, practice).Bind(3, now_ms);
  agent.BindUnsigned(4, identity.resume_after_seq);
  agent.Run();
  auto cert = db_.Prepare(
      "INSERT INTO certificates (serial_hex, agent_id, issued_at_ms, not_after_ms) "
      "VALUES (?, ?, ?, ?)");
  cert.Bind(1, identity.serial_hex).Bind(2, identity.agent_id).Bind(3, now_ms);
  cert.Bind(4, identity.not_after_ms);
  cert.Run();
}

std::optional<CertificateHolder> AgentRegistry::FindByCertificate(const std::string& serial_hex,
                                                                  std::int64_t now_ms) {
  auto stmt = db_.Prepare(
      "SELECT a.agent_id, a.practice, a.revoked_at_ms IS NOT NULL, "
      "c.first_used_at_ms IS NULL, CASE WHEN c.retired_at_ms <= ? THEN 1 ELSE 0 END "
      "FROM certificates c "
      "JOIN agents a ON a.agent_id = c.agent_id WHERE c.serial_hex = ?");
  stmt.Bind(1, now_ms).Bind(2, serial_hex);
  if (!stmt.Step()) return std::nullopt;
  return CertificateHolder{
      AgentIdentity{stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnInt(2) != 0},
      stmt.ColumnInt(3) != 0, stmt.ColumnInt(4) != 0};
}

std::vector<std::string> AgentRegistry::UseCertificate(const std::string& serial_hex,
                                                       std::int64_t now_ms) {
  auto use = db_.Prepare(
      "UPDATE certificates SET first_used_at_ms = ? "
      "WHERE serial_hex = ? AND first_used_at_ms IS NULL");
  use.Bind(1, now_ms).Bind(2, serial_hex);
  use.Run();
  std::vector<std::string> retired;
  if (db_.Changes() == 0) return retired;  // another request was first
  // Older: issued before it, or at enrolment in the same moment (renewals
  // are a day apart, kRenewalInterval).
  auto older = db_.Prepare(
      "SELECT c.serial_hex FROM certificates c JOIN certificates used "
      "ON used.serial_hex = ? AND used.agent_id = c.agent_id "
      "WHERE c.retired_at_ms IS NULL AND (c.issued_at_ms < used.issued_at_ms OR "
      "(c.issued_at_ms = used.issued_at_ms AND c.renewed < used.renewed)) "
      "ORDER BY c.serial_hex");
  older.Bind(1, serial_hex);
  while (older.Step()) retired.push_back(older.ColumnText(0));
  auto retire = db_.Prepare("UPDATE certificates SET retired_at_ms = ? WHERE serial_hex = ?");
  for (const std::string& serial : retired) {
    retire.Reset();
    retire.Bind(1, now_ms + kCertificateOverlapMs).Bind(2, serial);
    retire.Run();
  }
  return retired;
}

std::int64_t AgentRegistry::LastRenewedMs(const std::string& agent_id) {
  auto stmt =
      db_.Prepare("SELECT max(issued_at_ms) FROM certificates WHERE agent_id = ? AND renewed = 1");
  stmt.Bind(1, agent_id);
  return stmt.Step() ? stmt.ColumnInt(0) : 0;
}

void AgentRegistry::AddRenewedCertificate(const std::string& agent_id,
                                          const std::string& serial_hex, std::int64_t not_after_ms,
                                          std::int64_t now_ms) {
  auto cert = db_.Prepare(
      "INSERT INTO certificates (serial_hex, agent_id, issued_at_ms, not_after_ms, renewed) "
      "VALUES (?, ?, ?, ?, 1)");
  cert.Bind(1, serial_hex).Bind(2, agent_id).Bind(3, now_ms).Bind(4, not_after_ms);
  cert.Run();
}

void AgentRegistry::RecordHeartbeat(const AgentIdentity& agent, const protocol::Heartbeat& h,
                                    std::int64_t now_ms) {
  auto save = db_.Prepare(
      "INSERT INTO agent_health (agent_id, seen_at_ms, agent_version, queue_depth, last_seq, "
      "store_bytes, clock_skew_ms, certificate_not_after_ms, last_error, imports_paused, "
      "trusted_ca) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET "
      "seen_at_ms = excluded.seen_at_ms, agent_version = excluded.agent_version, "
      "queue_depth = excluded.queue_depth, last_seq = excluded.last_seq, "
      "store_bytes = excluded.store_bytes, clock_skew_ms = excluded.clock_skew_ms, "
      "certificate_not_after_ms = excluded.certificate_not_after_ms, "
      "last_error = excluded.last_error, imports_paused = excluded.imports_paused, "
      "trusted_ca = excluded.trusted_ca");
  save.Bind(1, agent.agent_id).Bind(2, now_ms).Bind(3, h.agent_version);
  save.BindUnsigned(4, h.queue_depth).BindUnsigned(5, h.last_seq).BindUnsigned(6, h.store_bytes);
  save.Bind(7, static_cast<std::int64_t>(h.agent_time_ms) - now_ms);
  save.BindUnsigned(8, h.certificate_not_after_ms);
  save.Bind(9, h.last_error).Bind(10, std::int64_t{h.imports_paused ? 1 : 0});
  std::string trusted;
  for (const std::string& sha : h.trusted_ca_sha256) trusted += (trusted.empty() ? "" : ",") + sha;
  save.Bind(11, trusted);
  save.Run();
}

void AgentRegistry::MarkSeen(const AgentIdentity& agent, std::int64_t now_ms) {
  auto seen = db_.Prepare("UPDATE agent_health SET seen_at_ms = ? WHERE agent_id = ?");
  seen.Bind(1, now_ms).Bind(2, agent.agent_id);
  seen.Run();
}

namespace {

constexpr const char* kStatusColumns = R"sql(
SELECT a.practice, a.agent_id, a.revoked_at_ms IS NOT NULL, a.enrolled_at_ms,
       CASE WHEN coalesce(h.seen_at_ms, 0) > coalesce(a.last_sync_ms, 0)
            THEN coalesce(h.seen_at_ms, 0) ELSE coalesce(a.last_sync_ms, 0) END,
       coalesce(h.agent_version, ''), a.acknowledged_seq, coalesce(h.last_seq, 0),
       coalesce(h.queue_depth, 0), coalesce(h.store_bytes, 0), coalesce(h.clock_skew_ms, 0),
       (SELECT max(not_after_ms) FROM certificates c WHERE c.agent_id = a.agent_id),
       coalesce(h.last_error, ''), coalesce(h.imports_paused, 0), coalesce(h.trusted_ca, '')
FROM agents a LEFT JOIN agent_health h ON h.agent_id = a.agent_id
)sql";

void ReadStatuses(db::Statement& stmt, std::vector<AgentStatus>& out) {
  while (stmt.Step()) {
    AgentStatus s;
    s.practice = stmt.ColumnText(0);
    s.agent_id = stmt.ColumnText(1);
    s.revoked = stmt.ColumnInt(2) != 0;
    s.enrolled_at_ms = stmt.ColumnInt(3);
    s.last_seen_ms = stmt.ColumnInt(4);
    s.agent_version = stmt.ColumnText(5);
    s.acknowledged_seq = stmt.ColumnUnsigned(6);
    s.agent_last_seq = stmt.ColumnUnsigned(7);
    s.queue_depth = stmt.ColumnUnsigned(8);
    s.store_bytes = stmt.ColumnUnsigned(9);
    s.clock_skew_ms = stmt.ColumnInt(10);
    s.certificate_not_after_ms = stmt.ColumnInt(11);
    s.last_error = stmt.ColumnText(12);
    s.imports_paused = stmt.ColumnInt(13) != 0;
    std::string trusted = stmt.ColumnText(14);
    for (std::size_t from = 0; from < trusted.size();) {
      std::size_t comma = std::min(trusted.find(',', from), trusted.size());
      s.trusted_ca_sha256.push_back(trusted.substr(from, comma - from));
      from = comma + 1;
    }
    out.push_back(std::move(s));
  }
}

}  // namespace

std::vector<AgentStatus> AgentRegistry::Statuses() {
  auto stmt = db_.Prepare(std::string(kStatusColumns) +
                          "ORDER BY a.practice, a.enrolled_at_ms DESC, a.agent_id");
  std::vector<AgentStatus> out;
  ReadStatuses(stmt, out);
  return out;
}

std::vector<AgentStatus> AgentRegistry::StatusesOf(const std::vector<std::string>& practices) {
  auto stmt = db_.Prepare(std::string(kStatusColumns) +
                          "WHERE a.practice = ? ORDER BY a.enrolled_at_ms DESC, a.agent_id");
  std::vector<AgentStatus> out;
  for (const std::string& practice : practices) {
    stmt.Reset();
    stmt.Bind(1, practice);
    ReadStatuses(stmt, out);
  }
  return out;
}

int AgentRegistry::Revoke(const std::string& practice, std::int64_t now_ms) {
  auto revoke = db_.Prepare(
      "UPDATE agents SET revoked_at_ms = ? WHERE practice = ? AND revoked_at_ms IS NULL");
  revoke.Bind(1, now_ms).Bind(2, practice);
  revoke.Run();
  return db_.Changes();
}

std::set<std::string> AgentRegistry::AgentIdsOf(const std::string& practice) {
  auto stmt = db_.Prepare("SELECT agent_id FROM agents WHERE practice = ?");
  stmt.Bind(1, practice);
  std::set<std::string> ids;
  while (stmt.Step()) ids.insert(stmt.ColumnText(0));
  return ids;
}

std::optional<std::uint64_t> AgentRegistry::HighWaterMark(const std::string& agent_id) {
  auto stmt = db_.Prepare("SELECT acknowledged_seq FROM agents WHERE agent_id = ?");
  stmt.Bind(1, agent_id);
  if (!stmt.Step()) return std::nullopt;
  return stmt.ColumnUnsigned(0);
}

void AgentRegistry::Advance(const std::string& agent_id, std::uint64_t high_water_mark,
                            std::int64_t now_ms) {
  auto advance =
      db_.Prepare("UPDATE agents SET acknowledged_seq = ?, last_sync_ms = ? WHERE agent_id = ?");
  advance.BindUnsigned(1, high_water_mark).Bind(2, now_ms).Bind(3, agent_id);
  advance.Run();
}

std::map<std::string, std::int64_t> AgentRegistry::LastSyncs() {
  auto syncs =
      db_.Prepare("SELECT practice, coalesce(max(last_sync_ms), 0) FROM agents GROUP BY practice");
  std::map<std::string, std::int64_t> out;
  while (syncs.Step()) out[syncs.ColumnText(0)] = syncs.ColumnInt(1);
  return out;
}

}  // namespace tributary::server
