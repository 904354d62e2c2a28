#include "feed/feed_service.h"

#include <algorithm>
#include <deque>

#include "store/server_store.h"
#include "tributary/common/dataset.h"
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
constexpr std::size_t kMaxExamined = 100000;

// A change log row as read: its JSON is built only if it is in scope, since
// on a national store most of the log is other ICSs'.
struct LoggedChange {
  std::int64_t id = 0;
  bool submission = false;
  std::string practice;
  std::string dataset;
  std::string key;
  std::string period;  // from the key: no need to parse the record to scope it
  bool upsert = false;
  std::string fields;  // canonical JSON, for an upsert
  std::uint64_t version = 0;
  bool central = false;
  std::int64_t at_ms = 0;
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

LoggedChange ReadChange(const db::Statement& row) {
  LoggedChange c;
  c.id = row.ColumnInt(0);
  c.practice = row.ColumnText(1);
  c.dataset = row.ColumnText(2);
  c.key = row.ColumnText(3);
  c.upsert = row.ColumnText(4) == "upsert";
  const DatasetDecl* dataset = datasets::Find(c.dataset);
  if (dataset == nullptr) {
    throw Error::Corruption("change " + std::to_string(c.id) +
                            " of the change log names no dataset: " + c.dataset);
  }
  c.submission = dataset == &datasets::Submission();
  c.period = KeyPeriod(*dataset, c.key);
  if (c.upsert) c.fields = row.ColumnText(5);
  c.version = row.ColumnUnsigned(6);
  c.central = row.ColumnInt(7) == 0;
  c.at_ms = row.ColumnInt(8);
  return c;
}

json::object ChangeJson(const LoggedChange& c) {
  return {{"kind", "record"},
          {"practice", c.practice},
          {"dataset", c.dataset},
          {"period", c.period},
          {"key", c.key},
          {"operation", c.upsert ? "upsert" : "delete"},
          {"fields", c.upsert ? FieldsJson(ParseCanonicalJson(c.fields)) : json::value(nullptr)},
          {"version", c.version},
          {"source", c.central ? "central" : "practice"},
          {"at", FormatUtc(c.at_ms)}};
}

JournalEvent ReadEvent(const db::Statement& row) {
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

// One page, read in the caller's snapshot.
FeedPage ReadPage(db::Connection& db, FeedPosition after, std::size_t limit,
                  const FeedScope& in_scope) {
  auto changes = db.Prepare(
      "SELECT id, practice, dataset, record_key, op, fields, version, seq, received_at_ms "
      "FROM change_log WHERE id > ? ORDER BY id LIMIT ?");
  auto events = db.Prepare(
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
  auto last = db.Prepare(
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
        json::object change = ChangeJson(c);
        change["cursor"] = page.next.ToString();
        page.changes.push_back(std::move(change));
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

}  // namespace

FeedPage FeedService::Read(FeedPosition after, std::size_t limit, const FeedScope& in_scope) {
  return store_.Read([&](StoreReading& r) { return ReadPage(r.db(), after, limit, in_scope); });
}

}  // namespace tributary::server
