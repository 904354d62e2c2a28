// A page of the ICS data teams' change feed (GET /v1/feed) and the position
// a consumer resumes from.
//
// The feed is the change log's record changes merged with the journal's
// events (feed/feed_journal.h) in commit order. A position is the last
// record change and the last event a consumer has seen, written
// "CHANGE.EVENT" ("0.0" before anything). Because every event is positioned
// after the changes committed before it and ids only grow, "everything after
// CHANGE.EVENT" is exactly the record changes with a larger id and the
// events with a larger id: a consumer that stores the cursor of the last
// change it applied, in the same transaction as what it applied, and asks
// from it again, receives every change once and once only.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::server {

struct FeedPosition {
  std::int64_t change = 0;  // the change log's id of the last record change seen
  std::int64_t event = 0;   // the journal's id of the last event seen

  std::string ToString() const;
  // "CHANGE.EVENT" as ToString writes it; nullopt for anything else.
  static std::optional<FeedPosition> Parse(std::string_view text);
  friend bool operator==(const FeedPosition&, const FeedPosition&) = default;
};

struct FeedPage {
  // Oldest first; each has its "cursor", the position just after it.
  std::vector<boost::json::object> changes;
  FeedPosition next;  // where to ask from next: after the last change looked at
  bool more = false;  // more changes wait after `next`
};

}  // namespace tributary::server
