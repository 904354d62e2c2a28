// The events of the ICS data teams' change feed that are not record changes
// (GET /v1/feed, docs/api.md "Change feed"): every move of a return, and
// every close, reopen and publication of a month. Record changes are the
// change log itself (reconcile/record_log.h).
//
// Each event is positioned after every record change committed before it:
// `after_change` is the change log's last id when it is appended, inside the
// same transaction as the move it records. Writers are serialised by the
// store, so positions follow commit order, and a feed that merges the change
// log and these events by (change id, event id) gives everything in the
// order it was committed (feed/feed_page.h).
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe on its own; ServerStore serialises it. Failures throw
// tributary::Error(kDatabase).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string_view>

#include "database/connection.h"

namespace tributary::server {

class FeedJournal {
 public:
  // `db` must outlive the journal.
  explicit FeedJournal(db::Connection& db) : db_(db) {}

  static void CreateSchema(db::Connection& db);

  // For a store from before the journal (schema 4): the moves its returns
  // and months already made — every return event, each month's latest close
  // or reopen, every publication — journalled in the order they happened,
  // all positioned after the change log as it stands, so a consumer starting
  // from the beginning has them too (after the record changes they followed).
  static void Backfill(db::Connection& db);

  // Appends an event of `kind` ("return" or "period"): a return's under its
  // `practice` (ics ""), a month's under its `ics` (practice ""). `body` is
  // the event as the feed shows it, less its position.
  void Append(std::string_view kind, std::string_view practice, std::string_view ics,
              std::string_view period, const boost::json::object& body, std::int64_t at_ms);

 private:
  db::Connection& db_;
};

}  // namespace tributary::server
