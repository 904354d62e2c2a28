#include "returns/return_book.h"

#include <map>

#include "feed/feed_journal.h"
#include "notices/practice_feed.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

constexpr const char* kSchema = R"sql(
-- One row per return anyone has touched; the rest are open, revision 0.
CREATE TABLE IF NOT EXISTS returns (
  practice          TEXT NOT NULL,
  dataset           TEXT NOT NULL,
  period            TEXT NOT NULL,
  state             TEXT NOT NULL,
  revision          INTEGER NOT NULL,
  query_comment     TEXT NOT NULL DEFAULT '',
  updated_by        TEXT NOT NULL,
  updated_at_ms     INTEGER NOT NULL,
  approved_revision INTEGER,
  PRIMARY KEY (practice, dataset, period)
) WITHOUT ROWID;
-- A month's returns, and a practice's in a month: with (period, practice)
-- both equal, SQLite never walks a whole month's returns for one practice.
DROP INDEX IF EXISTS returns_by_month;
CREATE INDEX IF NOT EXISTS returns_by_month_practice ON returns (period, practice);

-- Every move of every return, and every change to its records: the history a
-- PCN manager and an auditor read.
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
  at_ms      INTEGER NOT NULL,
  upserts    INTEGER,          -- a "change": records written
  deletes    INTEGER           -- and removed
);
CREATE INDEX IF NOT EXISTS return_events_by_return ON return_events (practice, dataset, period);

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

ReturnState StoredState(const std::string& text, const ReturnKey& key) {
  return StoredReturnState(text, "the " + key.ToString() + " return");
}

}  // namespace

void ReturnBook::CreateSchema(db::Connection& db) {
  // Stores made before revisions counted every change lack these columns.
  bool had_returns = db.HasColumn("returns", "state");
  if (had_returns && !db.HasColumn("returns", "approved_revision")) {
    db.ExecSchema(
        "ALTER TABLE returns ADD COLUMN approved_revision INTEGER;"
        "ALTER TABLE return_events ADD COLUMN upserts INTEGER;"
        "ALTER TABLE return_events ADD COLUMN deletes INTEGER;"
        "UPDATE returns SET approved_revision = (SELECT max(e.revision) FROM return_events e "
        "WHERE e.practice = returns.practice AND e.dataset = returns.dataset "
        "AND e.period = returns.period AND e.action = 'approve');");
  }
  db.ExecSchema(kSchema);
}

ReturnStatus ReturnBook::Get(const ReturnKey& key) {
  auto cached = known_.find(key);
  if (cached != known_.end()) return cached->second;
  auto stmt = db_.Prepare(
      "SELECT state, revision, query_comment, updated_by, updated_at_ms, approved_revision "
      "FROM returns WHERE practice = ? AND dataset = ? AND period = ?");
  stmt.Bind(1, key.practice).Bind(2, key.dataset).Bind(3, key.period);
  ReturnStatus status;
  status.key = key;
  if (stmt.Step()) {
    status.state = StoredState(stmt.ColumnText(0), key);
    status.revision = stmt.ColumnInt(1);
    status.query_comment = stmt.ColumnText(2);
    status.updated_by = stmt.ColumnText(3);
    status.updated_at_ms = stmt.ColumnInt(4);
    if (!stmt.ColumnIsNull(5)) status.approved_revision = stmt.ColumnInt(5);
  }
  known_[key] = status;
  return status;
}

void ReturnBook::Save(const ReturnStatus& s) {
  auto save = db_.Prepare(
      "INSERT INTO returns (practice, dataset, period, state, revision, query_comment, "
      "updated_by, updated_at_ms, approved_revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (practice, dataset, period) DO UPDATE SET state = excluded.state, "
      "revision = excluded.revision, query_comment = excluded.query_comment, "
      "updated_by = excluded.updated_by, updated_at_ms = excluded.updated_at_ms, "
      "approved_revision = excluded.approved_revision");
  save.Bind(1, s.key.practice).Bind(2, s.key.dataset).Bind(3, s.key.period);
  save.Bind(4, ReturnStateName(s.state)).Bind(5, s.revision);
  save.Bind(6, s.query_comment).Bind(7, s.updated_by).Bind(8, s.updated_at_ms);
  if (s.approved_revision)
    save.Bind(9, *s.approved_revision);
  else
    save.BindNull(9);
  save.Run();
  known_[s.key] = s;
}

void ReturnBook::RecordEvent(const ReturnStatus& after, std::string_view action, ReturnState from,
                             const std::string& comment, const Pending* counts) {
  auto event = db_.Prepare(
      "INSERT INTO return_events (practice, dataset, period, revision, action, from_state, "
      "to_state, actor, comment, at_ms, upserts, deletes) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const ReturnKey& key = after.key;
  event.Bind(1, key.practice).Bind(2, key.dataset).Bind(3, key.period).Bind(4, after.revision);
  event.Bind(5, action).Bind(6, ReturnStateName(from)).Bind(7, ReturnStateName(after.state));
  event.Bind(8, after.updated_by).Bind(9, comment).Bind(10, after.updated_at_ms);
  if (counts) {
    event.Bind(11, counts->upserts).Bind(12, counts->deletes);
  } else {
    event.BindNull(11).BindNull(12);
  }
  event.Run();
  // The ICS data teams' feed shows the same move, in commit order.
  boost::json::object body{{"kind", "return"},
                           {"practice", key.practice},
                           {"dataset", key.dataset},
                           {"period", key.period},
                           {"action", action},
                           {"revision", after.revision},
                           {"from_state", ReturnStateName(from)},
                           {"to_state", ReturnStateName(after.state)},
                           {"actor", after.updated_by},
                           {"comment", comment},
                           {"upserts", counts ? boost::json::value(counts->upserts) : nullptr},
                           {"deletes", counts ? boost::json::value(counts->deletes) : nullptr},
                           {"at", FormatUtc(after.updated_at_ms)}};
  FeedJournal(db_).Append("return", key.practice, "", key.period, body, after.updated_at_ms);
}

// The practice hears of every move and revision: above all a query, which
// needs its answer.
void ReturnBook::Tell(const ReturnStatus& s) {
  PracticeFeed(db_).Append(s.key.practice, "return",
                           {{"dataset", s.key.dataset},
                            {"period", s.key.period},
                            {"state", std::string(ReturnStateName(s.state))},
                            {"revision", std::to_string(s.revision)},
                            {"comment", s.query_comment}},
                           s.updated_at_ms);
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
  if (action == ReturnAction::kQuery) after.query_comment = comment;
  if (action == ReturnAction::kSubmit || action == ReturnAction::kReview) {
    after.query_comment.clear();
  }
  if (action == ReturnAction::kApprove) after.approved_revision = after.revision;
  after.updated_by = actor;
  after.updated_at_ms = now_ms;
  Save(after);
  RecordEvent(after, ReturnActionName(action), before.state, comment, nullptr);
  if (action == ReturnAction::kApprove) SnapshotApproved(key);
  Tell(after);
  return after;
}

void ReturnBook::NoteChange(const ReturnKey& key, bool removed) {
  Pending& p = pending_[key];
  ++(removed ? p.deletes : p.upserts);
}

void ReturnBook::FinishChanges(const std::string& actor, std::int64_t now_ms,
                               const std::function<bool(const std::string&)>& month_closed) {
  std::map<ReturnKey, Pending> pending;
  pending.swap(pending_);
  for (const auto& [key, counts] : pending) {
    ReturnStatus after = Get(key);
    ReturnState from = after.state;
    ++after.revision;
    after.updated_by = actor;
    after.updated_at_ms = now_ms;
    Save(after);
    RecordEvent(after, "change", from, "", &counts);
    bool closed = month_closed(key.period);
    if (closed && NextState(after.state, ReturnAction::kReview)) {
      Apply(key, ReturnAction::kReview, actor, "changed in a closed month", now_ms);
    } else if (!closed && after.state == ReturnState::kApproved) {
      Apply(key, ReturnAction::kReopen, actor, "changed after approval", now_ms);
    } else {
      Tell(after);
    }
  }
}

std::vector<ReturnEvent> ReturnBook::History(const ReturnKey& key) {
  auto stmt = db_.Prepare(
      "SELECT revision, action, from_state, to_state, actor, comment, at_ms, upserts, deletes "
      "FROM return_events WHERE practice = ? AND dataset = ? AND period = ? ORDER BY id");
  stmt.Bind(1, key.practice).Bind(2, key.dataset).Bind(3, key.period);
  std::vector<ReturnEvent> events;
  while (stmt.Step()) {
    ReturnEvent e;
    e.revision = stmt.ColumnInt(0);
    e.action = stmt.ColumnText(1);
    e.from = StoredState(stmt.ColumnText(2), key);
    e.to = StoredState(stmt.ColumnText(3), key);
    e.actor = stmt.ColumnText(4);
    e.comment = stmt.ColumnText(5);
    e.at_ms = stmt.ColumnInt(6);
    e.upserts = stmt.ColumnIsNull(7) ? 0 : stmt.ColumnInt(7);
    e.deletes = stmt.ColumnIsNull(8) ? 0 : stmt.ColumnInt(8);
    events.push_back(std::move(e));
  }
  return events;
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
  std::vector<ValueChange> changes;
  if (!Get(key).approved_revision) return changes;  // never approved: nothing to compare
  auto read = [this, &key](const char* table) {
    auto stmt = db_.Prepare(std::string("SELECT record_key, fields FROM ") + table +
                            " WHERE practice = ? AND dataset = ? AND period = ?");
    stmt.Bind(1, key.practice).Bind(2, key.dataset).Bind(3, key.period);
    std::map<std::string, std::string> rows;
    while (stmt.Step()) rows.emplace(stmt.ColumnText(0), stmt.ColumnText(1));
    return rows;
  };
  std::map<std::string, std::string> approved = read("return_approved_records");
  std::map<std::string, std::string> current = read("records");
  for (const auto& [record_key, json] : approved) {
    auto now = current.find(record_key);
    if (now == current.end()) {
      changes.push_back({record_key, "", json, ""});
    } else if (now->second != json) {
      auto before = ParseCanonicalJson(json);
      auto after = ParseCanonicalJson(now->second);
      for (const auto& [field, value] : before) {
        auto it = after.find(field);
        std::string current_value = it == after.end() ? "" : it->second;
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
