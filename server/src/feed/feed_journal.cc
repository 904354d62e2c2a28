#include "feed/feed_journal.h"

namespace tributary::server {

void FeedJournal::CreateSchema(db::Connection& db) {
  db.ExecSchema(R"sql(
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

void FeedJournal::Backfill(db::Connection& db) {
  // The bodies as Append writes them (the same members, times as FormatUtc).
  db.Exec(R"sql(
INSERT INTO feed_events (after_change, kind, practice, ics, period, body, at_ms)
SELECT (SELECT COALESCE(MAX(id), 0) FROM change_log), kind, practice, ics, period, body, at_ms
FROM (
  SELECT 0 AS source, id AS ordinal, 'return' AS kind, practice, '' AS ics, period,
         json_object('kind', 'return', 'practice', practice, 'dataset', dataset,
                     'period', period, 'action', action, 'revision', revision,
                     'from_state', from_state, 'to_state', to_state, 'actor', actor,
                     'comment', comment, 'upserts', upserts, 'deletes', deletes,
                     'at', strftime('%Y-%m-%dT%H:%M:%SZ', at_ms / 1000, 'unixepoch')) AS body,
         at_ms
  FROM return_events
  UNION ALL
  SELECT 1, 0, 'period', '', ics, period,
         json_object('kind', 'period', 'ics', ics, 'period', period,
                     'action', CASE state WHEN 'closed' THEN 'close' ELSE 'reopen' END,
                     'state', state, 'version', NULL, 'actor', changed_by,
                     'at', strftime('%Y-%m-%dT%H:%M:%SZ', changed_at_ms / 1000, 'unixepoch')),
         changed_at_ms
  FROM periods
  UNION ALL
  SELECT 2, version, 'period', '', ics, period,
         json_object('kind', 'period', 'ics', ics, 'period', period, 'action', 'publish',
                     'state', 'closed', 'version', version, 'actor', published_by,
                     'at', strftime('%Y-%m-%dT%H:%M:%SZ', published_at_ms / 1000, 'unixepoch')),
         published_at_ms
  FROM published_versions
)
ORDER BY at_ms, source, ordinal;
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
