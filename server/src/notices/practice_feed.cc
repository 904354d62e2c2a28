#include "notices/practice_feed.h"

namespace tributary::server {

void PracticeFeed::CreateSchema(db::Connection& db) {
  db.ExecSchema(R"sql(
-- AUTOINCREMENT: ids are never reused, so an agent's cursor stays meaningful.
CREATE TABLE IF NOT EXISTS practice_feed (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  practice TEXT NOT NULL,
  kind     TEXT NOT NULL,
  fields   TEXT NOT NULL,
  at_ms    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS practice_feed_by_practice ON practice_feed (practice, id);
)sql");
}

void PracticeFeed::Append(const std::string& practice, const std::string& kind,
                          const FieldMap& fields, std::int64_t now_ms) {
  auto insert =
      db_.Prepare("INSERT INTO practice_feed (practice, kind, fields, at_ms) VALUES (?, ?, ?, ?)");
  insert.Bind(1, practice).Bind(2, kind).Bind(3, CanonicalJson(fields)).Bind(4, now_ms);
  insert.Run();
}

protocol::PullReply PracticeFeed::Read(const std::string& practice, std::uint64_t cursor,
                                       std::size_t limit) {
  auto stmt = db_.Prepare(
      "SELECT id, kind, fields FROM practice_feed WHERE practice = ? AND id > ? "
      "ORDER BY id LIMIT ?");
  stmt.Bind(1, practice).Bind(2, static_cast<std::int64_t>(cursor));
  stmt.Bind(3, static_cast<std::int64_t>(limit) + 1);
  protocol::PullReply reply;
  reply.cursor = cursor;
  while (stmt.Step()) {
    if (reply.notices.size() == limit) {
      reply.more = true;
      break;
    }
    protocol::Notice n;
    n.id = static_cast<std::uint64_t>(stmt.ColumnInt(0));
    n.kind = stmt.ColumnText(1);
    n.fields = ParseCanonicalJson(stmt.ColumnText(2));
    reply.cursor = n.id;
    reply.notices.push_back(std::move(n));
  }
  if (reply.notices.empty() && cursor > 0) {
    // An agent ahead of every notice there is read them from a server since
    // restored from an older backup: tell it where the notices end, so it
    // reads the next ones (docs/protocol.md "Pull").
    auto last = db_.Prepare("SELECT coalesce(max(id), 0) FROM practice_feed");
    last.Step();
    auto issued = static_cast<std::uint64_t>(last.ColumnInt(0));
    if (cursor > issued) reply.cursor = issued;
  }
  return reply;
}

}  // namespace tributary::server
