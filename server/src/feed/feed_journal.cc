#include "feed/feed_journal.h"

namespace tributary::server {

void FeedJournal::CreateSchema(sqlite::Database& db) {
  db.Exec(R"sql(
CREATE TABLE IF NOT EXISTS feed_events (
  id           INTEGER PRIMARY KEY,
  after_change INTEGER NOT NULL,   -- change_log's last id when it was written
  kind         TEXT NOT NULL,      -- 'return' or 'period'
  practice     TEXT NOT NULL,      -- a return's practice, '' for a month's event
  ics          TEXT NOT NULL,      -- a month's ICS, '' for a return's event
  period       TEXT NOT NULL,
  body         TEXT NOT NULL,      -- the event as the feed shows it (JSON)
  at_ms        INTEGER NOT NULL
);
)sql");
}

void FeedJournal::Append(std::string_view kind, std::string_view practice, std::string_view ics,
                         std::string_view period, const boost::json::object& body,
                         std::int64_t at_ms) {
  auto insert = db_.Prepare(
      "INSERT INTO feed_events (after_change, kind, practice, ics, period, body, at_ms) "
      "VALUES ((SELECT COALESCE(MAX(id), 0) FROM change_log), ?, ?, ?, ?, ?, ?)");
  insert.Bind(1, kind).Bind(2, practice).Bind(3, ics).Bind(4, period);
  insert.Bind(5, boost::json::serialize(body)).Bind(6, at_ms);
  insert.Run();
}

}  // namespace tributary::server
