#include "store/outbox.h"

namespace tributary::agent {

void Outbox::CreateSchema(sqlite::Database& db) {
  // Stores made before acknowledged changes were kept for resending.
  if (db.HasColumn("outbox", "seq") && !db.HasColumn("outbox", "acknowledged_ms")) {
    db.Exec("ALTER TABLE outbox ADD COLUMN acknowledged_ms INTEGER");
  }
  db.Exec(R"sql(
-- Changes waiting for the server, numbered 1, 2, 3, ... without gaps.
CREATE TABLE IF NOT EXISTS outbox (
  seq          INTEGER PRIMARY KEY,
  dataset      TEXT NOT NULL,
  record_key   TEXT NOT NULL,
  op           TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
  fields       TEXT,
  version      INTEGER NOT NULL,
  base_version INTEGER NOT NULL,
  acknowledged_ms INTEGER  -- NULL while waiting; then kept for resending
);
-- Finds a record's unsent change, to coalesce a newer one into it.
CREATE INDEX IF NOT EXISTS outbox_by_record ON outbox (dataset, record_key, seq);

-- What the server said of changes it did not simply accept.
CREATE TABLE IF NOT EXISTS findings (
  seq     INTEGER PRIMARY KEY,
  outcome TEXT NOT NULL,
  detail  TEXT NOT NULL
);
)sql");
}

OutboxWriter::OutboxWriter(sqlite::Database& db, AgentState& state)
    : state_(state),
      seq_(state.Number("last_seq")),
      attempted_(state.Number("attempted_seq")),
      // With nothing unsent at the start, only this writer's own entries
      // could match, and one writer never changes a record twice.
      had_unsent_(seq_ > attempted_),
      insert_(db.Prepare(
          "INSERT INTO outbox (seq, dataset, record_key, op, fields, version, base_version) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)")),
      unsent_(db.Prepare("SELECT seq FROM outbox WHERE dataset = ? AND record_key = ? AND seq > ? "
                         "AND acknowledged_ms IS NULL ORDER BY seq DESC LIMIT 1")),
      replace_(db.Prepare("UPDATE outbox SET op = ?, fields = ?, version = ? WHERE seq = ?")) {}

void OutboxWriter::Append(const std::string& dataset, const std::string& key,
                          const std::string* fields_json, HlcTimestamp version,
                          HlcTimestamp base_version, bool coalesce) {
  std::optional<std::uint64_t> unsent_seq;
  if (had_unsent_ && coalesce) {
    unsent_.Bind(1, dataset).Bind(2, key).BindUnsigned(3, attempted_);
    if (unsent_.Step()) unsent_seq = unsent_.ColumnUnsigned(0);
    unsent_.Reset();
  }
  std::string_view op = fields_json ? "upsert" : "delete";
  if (unsent_seq) {
    replace_.Bind(1, op);
    if (fields_json)
      replace_.Bind(2, *fields_json);
    else
      replace_.BindNull(2);
    replace_.BindUnsigned(3, version).BindUnsigned(4, *unsent_seq);
    replace_.Run();
    return;
  }
  ++seq_;
  insert_.BindUnsigned(1, seq_).Bind(2, dataset).Bind(3, key).Bind(4, op);
  if (fields_json)
    insert_.Bind(5, *fields_json);
  else
    insert_.BindNull(5);
  insert_.BindUnsigned(6, version).BindUnsigned(7, base_version);
  insert_.Run();
}

void OutboxWriter::Finish() { state_.Set("last_seq", std::to_string(seq_)); }

std::vector<OutboxEntry> Outbox::Pending(std::uint64_t after_seq, std::size_t limit) {
  auto stmt = db_.Prepare(
      "SELECT seq, dataset, record_key, op, fields, version, base_version FROM outbox "
      "WHERE seq > ? ORDER BY seq LIMIT ?");
  stmt.BindUnsigned(1, after_seq).BindUnsigned(2, limit);
  std::vector<OutboxEntry> entries;
  while (stmt.Step()) {
    OutboxEntry e;
    e.seq = stmt.ColumnUnsigned(0);
    e.dataset = stmt.ColumnText(1);
    e.key = stmt.ColumnText(2);
    e.is_delete = stmt.ColumnText(3) == "delete";
    e.fields_json = stmt.ColumnText(4);
    e.version = stmt.ColumnUnsigned(5);
    e.base_version = stmt.ColumnUnsigned(6);
    entries.push_back(std::move(e));
  }
  return entries;
}

std::uint64_t Outbox::Count() {
  auto stmt = db_.Prepare("SELECT count(*) FROM outbox WHERE acknowledged_ms IS NULL");
  stmt.Step();
  return stmt.ColumnUnsigned(0);
}

std::optional<std::uint64_t> Outbox::WaitingSeqOf(const std::string& dataset,
                                                  const std::string& key) {
  auto stmt = db_.Prepare(
      "SELECT seq FROM outbox WHERE dataset = ? AND record_key = ? AND acknowledged_ms IS NULL "
      "ORDER BY seq DESC LIMIT 1");
  stmt.Bind(1, dataset).Bind(2, key);
  if (!stmt.Step()) return std::nullopt;
  return stmt.ColumnUnsigned(0);
}

void Outbox::Acknowledge(std::uint64_t seq, std::int64_t now_ms) {
  auto mark = db_.Prepare(
      "UPDATE outbox SET acknowledged_ms = ? WHERE seq <= ? AND acknowledged_ms IS NULL");
  mark.Bind(1, now_ms).BindUnsigned(2, seq);
  mark.Run();
  auto forget = db_.Prepare("DELETE FROM outbox WHERE acknowledged_ms < ?");
  forget.Bind(1, now_ms - kResendWindowMs);
  forget.Run();
}

bool Outbox::Rewind(std::uint64_t to_seq, std::uint64_t acknowledged) {
  if (to_seq >= acknowledged) return false;
  auto held = db_.Prepare("SELECT count(*) FROM outbox WHERE seq > ? AND seq <= ?");
  held.BindUnsigned(1, to_seq).BindUnsigned(2, acknowledged);
  held.Step();
  if (held.ColumnUnsigned(0) != acknowledged - to_seq) return false;
  auto wait = db_.Prepare("UPDATE outbox SET acknowledged_ms = NULL WHERE seq > ?");
  wait.BindUnsigned(1, to_seq);
  wait.Run();
  return true;
}

void Outbox::KeepFinding(const PushFinding& f) {
  auto keep =
      db_.Prepare("INSERT OR REPLACE INTO findings (seq, outcome, detail) VALUES (?, ?, ?)");
  keep.BindUnsigned(1, f.seq).Bind(2, f.outcome).Bind(3, f.detail);
  keep.Run();
}

std::vector<PushFinding> Outbox::Findings(std::size_t limit) {
  auto stmt = db_.Prepare("SELECT seq, outcome, detail FROM findings ORDER BY seq DESC LIMIT ?");
  stmt.BindUnsigned(1, limit);
  std::vector<PushFinding> findings;
  while (stmt.Step()) {
    findings.push_back({stmt.ColumnUnsigned(0), stmt.ColumnText(1), stmt.ColumnText(2)});
  }
  return findings;
}

}  // namespace tributary::agent
