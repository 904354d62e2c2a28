#include "reconcile/conflict_book.h"

#include "tributary/common/error.h"

namespace tributary::server {

void ConflictBook::CreateSchema(db::Connection& db) {
  db.ExecSchema(R"sql(
-- Changes based on a version that something else has since replaced.
CREATE TABLE IF NOT EXISTS conflicts (
  id              INTEGER PRIMARY KEY,
  practice        TEXT NOT NULL,
  dataset         TEXT NOT NULL,
  record_key      TEXT NOT NULL,
  agent_id        TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  op              TEXT NOT NULL,
  fields          TEXT,
  version         INTEGER NOT NULL,
  base_version    INTEGER NOT NULL,
  current_version INTEGER NOT NULL,
  received_at_ms  INTEGER NOT NULL,
  resolved_at_ms  INTEGER,
  resolution      TEXT,          -- practice, central or new
  resolved_by     TEXT
);
)sql");
}

void ConflictBook::Add(const ConflictingChange& c, std::int64_t now_ms) {
  auto add = db_.Prepare(
      "INSERT INTO conflicts (practice, dataset, record_key, agent_id, seq, op, fields, version, "
      "base_version, current_version, received_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  add.Bind(1, c.practice).Bind(2, c.dataset).Bind(3, c.key).Bind(4, c.agent_id);
  add.BindUnsigned(5, c.seq).Bind(6, c.op).Bind(7, c.fields).BindUnsigned(8, c.version);
  add.BindUnsigned(9, c.base_version).BindUnsigned(10, c.current_version).Bind(11, now_ms);
  add.Run();
}

std::vector<std::int64_t> ConflictBook::OpenIds(const std::string& practice) {
  auto stmt = db_.Prepare(
      "SELECT id FROM conflicts WHERE practice = ? AND resolved_at_ms IS NULL ORDER BY id");
  stmt.Bind(1, practice);
  std::vector<std::int64_t> ids;
  while (stmt.Step()) ids.push_back(stmt.ColumnInt(0));
  return ids;
}

std::optional<RecordConflict> ConflictBook::Find(std::int64_t id) {
  auto stmt = db_.Prepare(
      "SELECT c.id, c.practice, c.dataset, c.record_key, c.op, c.fields, r.fields, r.version, "
      "coalesce(r.period, '') FROM conflicts c LEFT JOIN records r ON r.practice = c.practice "
      "AND r.dataset = c.dataset AND r.record_key = c.record_key "
      "WHERE c.id = ? AND c.resolved_at_ms IS NULL");
  stmt.Bind(1, id);
  if (!stmt.Step()) return std::nullopt;
  RecordConflict c;
  c.id = stmt.ColumnInt(0);
  c.practice = stmt.ColumnText(1);
  c.dataset = stmt.ColumnText(2);
  c.record_key = stmt.ColumnText(3);
  c.practice_op = stmt.ColumnText(4);
  const DatasetDecl* dataset = datasets::Find(c.dataset);
  if (dataset == nullptr || (c.practice_op != "upsert" && c.practice_op != "delete")) {
    throw Error::Corruption("conflict " + std::to_string(id) + " names dataset '" + c.dataset +
                            "' and operation '" + c.practice_op + "'");
  }
  if (c.practice_op == "upsert") c.practice_fields = ParseCanonicalJson(stmt.ColumnText(5));
  if (!stmt.ColumnIsNull(6)) {
    c.central_fields = ParseCanonicalJson(stmt.ColumnText(6));
    c.current_version = stmt.ColumnUnsigned(7);
  }
  c.period = stmt.ColumnText(8);
  if (c.period.empty() && c.practice_op == "upsert") {
    c.period = RecordPeriod(*dataset, c.practice_fields);
  }
  if (c.period.empty() && c.central_fields) c.period = RecordPeriod(*dataset, *c.central_fields);
  // Both sides deleted: the month is in the record's key, which holds the
  // dataset's period field among its key fields, in declaration order.
  if (c.period.empty()) c.period = KeyPeriod(*dataset, c.record_key);
  return c;
}

void ConflictBook::MarkResolved(std::int64_t id, const std::string& resolution,
                                const std::string& actor, std::int64_t now_ms) {
  auto resolve = db_.Prepare(
      "UPDATE conflicts SET resolved_at_ms = ?, resolution = ?, resolved_by = ? WHERE id = ?");
  resolve.Bind(1, now_ms).Bind(2, resolution).Bind(3, actor).Bind(4, id);
  resolve.Run();
}

}  // namespace tributary::server
