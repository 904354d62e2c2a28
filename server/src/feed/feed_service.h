// The ICS data teams' change feed (GET /v1/feed) read from the store: the
// change log's record changes merged with the feed journal's events in
// commit order (feed/feed_page.h, feed/feed_journal.h). Read-only: each page
// is one consistent reading of the store (store/server_store.h).
//
// Failures throw tributary::Error: kConflict for a position past the end of
// either source (a restored store), kCorruption for a logged change it
// cannot read, and the store's own. Thread-safe as the store is; holds only
// a reference to the store, which must outlive it.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "feed/feed_page.h"

namespace tributary::server {

class ServerStore;

// Whether a feed entry is the reader's: a record change or a return's event
// by (practice, "", period), a month's event by ("", ics, period).
using FeedScope = std::function<bool(const std::string& practice, const std::string& ics,
                                     const std::string& period)>;

class FeedService {
 public:
  explicit FeedService(ServerStore& store) : store_(store) {}

  // Up to `limit` entries after `after` for which `in_scope` holds, in
  // commit order. `in_scope` is called under the store's lock: it must not
  // call the store. A page looks at no more than some 100,000 entries, so it
  // may hold fewer than `limit` and still say `more`.
  FeedPage Read(FeedPosition after, std::size_t limit, const FeedScope& in_scope);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
