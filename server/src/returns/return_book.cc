#include "returns/return_book.h"

#include <map>

#include "store/practice_feed.h"
#include "store/stored_fields.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

constexpr const char* kSchema = R"sql(
-- One row per return anyone has acted on; the rest are open, revision 1.
CREATE TABLE IF NOT EXISTS returns (
  practice      TEXT NOT NULL,
  dataset       TEXT NOT NULL,
  period        TEXT NOT NULL,
  state         TEXT NOT NULL,
  revision      INTEGER NOT NULL,
  query_comment TEXT NOT NULL DEFAULT '',
  updated_by    TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (practice, dataset, period)
) WITHOUT ROWID;

-- Every move of every return: the history a PCN manager and an auditor read.
CREATE TABLE IF NOT EXISTS return_events (
  id         INTEGER PRIMARY KEY,
  practice   TEXT NOT NULL,
  dataset    TEXT NOT NULL,
  period     TEXT NOT NULL,
  revision   INTEGER NOT NULL,
  action     TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state   TEXT NOT NULL,
  actor      TEXT NOT NULL,
  comment    TEXT NOT NULL,
  at_ms      INTEGER NOT NULL
);

-- The records of each return as they stood when it was last approved.
CREATE TABLE IF NOT EXISTS return_approved_records (
  practice   TEXT NOT NULL,
  dataset    TEXT NOT NULL,
  period     TEXT NOT NULL,
  record_key TEXT NOT NULL,
  fields     TEXT NOT NULL,
  PRIMARY KEY (practice, dataset, period, record_key)
) WITHOUT ROWID;
)sql";

}  // namespace

void ReturnBook::CreateSchema(sqlite::Database& db) { db.Exec(kSchema); }

ReturnStatus ReturnBook::Get(const ReturnKey& key) {
  auto cached = known_.find(key.ToString());
  if (cached != known_.end()) return cached->second;
  auto stmt = db_.Prepare(
      "SELECT state, revision, query_comment, updated_by, updated_at_ms FROM returns "
      "WHERE practice = ? AND dataset = ? AND period = ?");
  stmt.Bind(1, key.practice).Bind(2, key.dataset).Bind(3, key.period);
  ReturnStatus status;
  status.key = key;
  if (stmt.Step()) {
    status.state = ParseReturnState(stmt.ColumnText(0)).value_or(ReturnState::kOpen);
    status.revision = stmt.ColumnInt(1);
    status.query_comment = stmt.ColumnText(2);
    status.updated_by = stmt.ColumnText(3);
    status.updated_at_ms = stmt.ColumnInt(4);
  }
  known_[key.ToString()] = status;
  return status;
}

ReturnStatus ReturnBook::Apply(const ReturnKey& key, ReturnAction action, const std::string& actor,
                               const std::string& comment, std::int64_t now_ms) {
  ReturnStatus before = Get(key);
  std::optional<ReturnState> next = NextState(before.state, action);
  if (!next) {
    throw Error::Conflict("cannot " + std::string(ReturnActionName(action)) + " the " +
                          key.ToString() + " return: it is " +
                          std::string(ReturnStateName(before.state)));
  }
  ReturnStatus after = before;
  after.state = *next;
  if (action == ReturnAction::kReopen) ++after.revision;
  if (action == ReturnAction::kQuery) after.query_comment = comment;
  if (action == ReturnAction::kSubmit) after.query_comment.clear();
  after.updated_by = actor;
  after.updated_at_ms = now_ms;
  auto save = db_.Prepare(
      "INSERT INTO returns (practice, dataset, period, state, revision, query_comment, "
      "updated_by, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (practice, dataset, period) DO UPDATE SET state = excluded.state, "
      "revision = excluded.revision, query_comment = excluded.query_comment, "
      "updated_by = excluded.updated_by, updated_at_ms = excluded.updated_at_ms");
  save.Bind(1, key.practice).Bind(2, key.dataset).Bind(3, key.period);
  save.Bind(4, ReturnStateName(after.state)).Bind(5, after.revision);
  save.Bind(6, after.query_comment).Bind(7, actor).Bind(8, now_ms);
  save.Run();
  auto event = db_.Prepare(
      "INSERT INTO return_events (practice, dataset, period, revision, action, from_state, "
      "to_state, actor, comment, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  event.Bind(1, key.practice).Bind(2, key.dataset).Bind(3, key.period).Bind(4, after.revision);
  event.Bind(5, ReturnActionName(action)).Bind(6, ReturnStateName(before.state));
  event.Bind(7, ReturnStateName(after.state)).Bind(8, actor).Bind(9, comment).Bind(10, now_ms);
  event.Run();
  known_[key.ToString()] = after;
  if (action == ReturnAction::kApprove) SnapshotApproved(key);
  // The practice hears of every move: above all a query, which needs its answer.
  PracticeFeed(db_).Append(key.practice, "return",
                           {{"dataset", key.dataset},
                            {"period", key.period},
                            {"state", std::string(ReturnStateName(after.state))},
                            {"revision", std::to_string(after.revision)},
                            {"comment", after.query_comment}},
                           now_ms);
  return after;
}

void ReturnBook::OnDataChanged(const ReturnKey& key, const std::string& actor,
                               std::int64_t now_ms) {
  if (Get(key).state == ReturnState::kApproved) {
    Apply(key, ReturnAction::kReopen, actor, "changed after approval", now_ms);
  }
}

void ReturnBook::SnapshotApproved(const ReturnKey& key) {
  auto clear = db_.Prepare(
      "DELETE FROM return_approved_records WHERE practice = ? AND dataset = ? AND period = ?");
  clear.Bind(1, key.practice).Bind(2, key.dataset).Bind(3, key.period);
  clear.Run();
  auto copy = db_.Prepare(
      "INSERT INTO return_approved_records (practice, dataset, period, record_key, fields) "
      "SELECT practice, dataset, period, record_key, fields FROM records "
      "INDEXED BY records_by_month WHERE practice = ? AND dataset = ? AND period = ?");
  copy.Bind(1, key.practice).Bind(2, key.dataset).Bind(3, key.period);
  copy.Run();
}

std::vector<ValueChange> ReturnBook::ChangesSinceApproval(const ReturnKey& key) {
  auto read = [this, &key](const char* table) {
    auto stmt = db_.Prepare(std::string("SELECT record_key, fields FROM ") + table +
                            " WHERE practice = ? AND dataset = ? AND period = ?");
    stmt.Bind(1, key.practice).Bind(2, key.dataset).Bind(3, key.period);
    std::map<std::string, std::string> rows;
    while (stmt.Step()) rows.emplace(stmt.ColumnText(0), stmt.ColumnText(1));
    return rows;
  };
  std::vector<ValueChange> changes;
  auto approved_count = db_.Prepare(
      "SELECT count(*) FROM return_events WHERE practice = ? AND dataset = ? AND period = ? "
      "AND action = 'approve'");
  approved_count.Bind(1, key.practice).Bind(2, key.dataset).Bind(3, key.period);
  approved_count.Step();
  if (approved_count.ColumnInt(0) == 0) return changes;  // never approved: nothing to compare

  std::map<std::string, std::string> approved = read("return_approved_records");
  std::map<std::string, std::string> current = read("records");
  for (const auto& [record_key, json] : approved) {
    auto now = current.find(record_key);
    if (now == current.end()) {
      changes.push_back({record_key, "", json, ""});
    } else if (now->second != json) {
      auto before = StoredFields(json);
      auto after = StoredFields(now->second);
      for (const auto& [field, value] : before) {
        std::string current_value = after.count(field) ? after.at(field) : "";
        if (current_value != value) changes.push_back({record_key, field, value, current_value});
      }
      for (const auto& [field, value] : after) {
        if (before.count(field) == 0) changes.push_back({record_key, field, "", value});
      }
    }
  }
  for (const auto& [record_key, json] : current) {
    if (approved.count(record_key) == 0) changes.push_back({record_key, "", "", json});
  }
  return changes;
}

}  // namespace tributary::server
