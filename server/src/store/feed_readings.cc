// The ICS data teams' change feed read from the store: the change log's
// record changes merged with the feed journal's events in commit order
// (feed/feed_page.h, feed/feed_journal.h), in one snapshot. Part of
// ServerStore.
#include <algorithm>
#include <deque>

#include "store/server_store.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

namespace json = boost::json;

// Rows are read from each source in chunks of the page's size, and at least
// this many, so a small page reads little and a scope that skips much of the
// log (a national store) costs few queries.
constexpr std::size_t kMinChunk = 64;
// A page stops after looking at this many entries, in scope or not, so that a
// reader whose ICS has little of a national log never holds the store for
// long; the page then says there is more.
constexpr std::size_t kMaxExamined = 20000;

struct LoggedChange {
  std::int64_t id = 0;
  bool submission = false;
  std::string practice;
  std::string period;
  json::object change;
};

struct JournalEvent {
  std::int64_t id = 0;
  std::int64_t after_change = 0;
  std::string practice;
  std::string ics;
  std::string period;
  json::object event;
};

json::value FieldsJson(const FieldMap& fields) {
  json::object o;
  for (const auto& [name, value] : fields) o[name] = value;
  return o;
}

LoggedChange ReadChange(const sqlite::Statement& row) {
  LoggedChange c;
  c.id = row.ColumnInt(0);
  c.practice = row.ColumnText(1);
  std::string dataset_name = row.ColumnText(2);
  bool upsert = row.ColumnText(4) == "upsert";
  const DatasetDecl* dataset = datasets::Find(dataset_name);
  std::string where = "change " + std::to_string(c.id) + " of the change log";
  if (dataset == nullptr) throw Error::Corruption(where + " names no dataset: " + dataset_name);
  c.submission = dataset == &datasets::Submission();
  // A delete's month is the month of what it removed.
  int fields_column = upsert ? 5 : 6;
  FieldMap fields;
  if (!row.ColumnIsNull(fields_column)) fields = ParseCanonicalJson(row.ColumnText(fields_column));
  c.period = fields.empty() ? "" : RecordPeriod(*dataset, fields);
  c.change = {{"kind", "record"},
              {"practice", c.practice},
              {"dataset", dataset_name},
              {"period", c.period},
              {"key", row.ColumnText(3)},
              {"operation", upsert ? "upsert" : "delete"},
              {"fields", upsert ? FieldsJson(fields) : json::value(nullptr)},
              {"version", row.ColumnUnsigned(7)},
              {"source", row.ColumnInt(8) > 0 ? "practice" : "central"},
              {"at", FormatUtc(row.ColumnInt(9))}};
  return c;
}

JournalEvent ReadEvent(const sqlite::Statement& row) {
  JournalEvent e;
  e.id = row.ColumnInt(0);
  e.after_change = row.ColumnInt(1);
  e.practice = row.ColumnText(2);
  e.ics = row.ColumnText(3);
  e.period = row.ColumnText(4);
  std::error_code ec;
  json::value body = json::parse(row.ColumnText(5), ec);
  if (ec || !body.is_object()) {
    throw Error::Corruption("event " + std::to_string(e.id) + " of the feed cannot be read");
  }
  e.event = std::move(body.as_object());
  return e;
}

}  // namespace

FeedPage ServerStore::ReadFeed(FeedPosition after, std::size_t limit, const FeedScope& in_scope) {
  std::lock_guard lock(mutex_);
  sqlite::ReadTransaction snapshot(db_);
  auto changes = db_.Prepare(
      "SELECT id, practice, dataset, record_key, op, fields, previous_fields, version, seq, "
      "received_at_ms FROM change_log WHERE id > ? ORDER BY id LIMIT ?");
  auto events = db_.Prepare(
      "SELECT id, after_change, practice, ics, period, body FROM feed_events "
      "WHERE id > ? ORDER BY id LIMIT ?");
  std::deque<LoggedChange> pending_changes;
  std::deque<JournalEvent> pending_events;
  bool changes_done = false;
  bool events_done = false;
  FeedPosition read = after;  // how far each source has been read
  auto chunk = static_cast<std::int64_t>(std::max(limit + 1, kMinChunk));
  auto refill = [&] {
    if (pending_changes.empty() && !changes_done) {
      changes.Reset();
      changes.Bind(1, read.change).Bind(2, chunk);
      while (changes.Step()) pending_changes.push_back(ReadChange(changes));
      changes_done = pending_changes.empty();
      if (!changes_done) read.change = pending_changes.back().id;
    }
    if (pending_events.empty() && !events_done) {
      events.Reset();
      events.Bind(1, read.event).Bind(2, chunk);
      while (events.Step()) pending_events.push_back(ReadEvent(events));
      events_done = pending_events.empty();
      if (!events_done) read.event = pending_events.back().id;
    }
  };
  // A position past the end of either source was never given by this store:
  // a restored or replaced store would otherwise skip the ids it reuses.
  auto last = db_.Prepare(
      "SELECT (SELECT COALESCE(MAX(id), 0) FROM change_log), "
      "(SELECT COALESCE(MAX(id), 0) FROM feed_events)");
  last.Step();
  if (after.change > last.ColumnInt(0) || after.event > last.ColumnInt(1)) {
    throw Error::Conflict("cursor " + after.ToString() +
                          " is past the end of this server's feed (" +
                          FeedPosition{last.ColumnInt(0), last.ColumnInt(1)}.ToString() +
                          "): was its store restored or replaced? Start again from the "
                          "beginning");
  }
  FeedPage page;
  page.next = after;
  refill();
  std::size_t examined = 0;
  while (!pending_changes.empty() || !pending_events.empty()) {
    if (page.changes.size() == limit || examined == kMaxExamined) {
      page.more = true;
      break;
    }
    ++examined;
    // A record change comes before an event written after it was committed.
    bool take_change = !pending_changes.empty() &&
                       (pending_events.empty() ||
                        pending_changes.front().id <= pending_events.front().after_change);
    if (take_change) {
      LoggedChange c = std::move(pending_changes.front());
      pending_changes.pop_front();
      page.next.change = c.id;
      // A submission travels as a record, but the feed tells it as the
      // return's move it makes.
      if (!c.submission && in_scope(c.practice, "", c.period)) {
        c.change["cursor"] = page.next.ToString();
        page.changes.push_back(std::move(c.change));
      }
    } else {
      JournalEvent e = std::move(pending_events.front());
      pending_events.pop_front();
      page.next.event = e.id;
      if (in_scope(e.practice, e.ics, e.period)) {
        e.event["cursor"] = page.next.ToString();
        page.changes.push_back(std::move(e.event));
      }
    }
    refill();
  }
  return page;
}

}  // namespace tributary::server
