// GET /v1/feed?cursor=&limit=&format=json|ndjson, for the ICS roles (an ICS
// analyst, an ICS manager, an admin): every accepted change in the ICS, in
// the order it was committed (docs/api.md "Change feed"):
//   a record change  {"kind": "record", practice, dataset, period, key,
//                     operation: upsert | delete, fields (null for a delete),
//                     version, source: practice | central, at, cursor}
//   a return's move  {"kind": "return", practice, dataset, period, action,
//                     revision, from_state, to_state, actor, comment, upserts,
//                     deletes, at, cursor}
//   a month's move   {"kind": "period", ics, period, action: close | reopen |
//                     publish, state, version (publish only), actor, at, cursor}
// JSON {"changes": [...], "next_cursor", "more"}, or NDJSON (one change a
// line); both carry the next cursor in the Next-Cursor header and whether more
// waits in More (true or false). Each change's
// `cursor` resumes just after it (feed/feed_page.h).
#pragma once

#include "http/http_message.h"
#include "store/server_store.h"
#include "users/user.h"

namespace tributary::server {

struct FeedLimits {
  std::size_t default_limit = 1000;  // changes per answer when `limit` is not given
  std::size_t max_limit = 10000;
};

class FeedApi {
 public:
  // `store` must outlive the API.
  explicit FeedApi(ServerStore& store, FeedLimits limits = {}) : store_(store), limits_(limits) {}

  // Throws Error: kInvalidArgument (400: a malformed cursor, a limit outside
  // 1..max, an unknown parameter or format), kForbidden (403: not an ICS role),
  // kConflict (409: a cursor past the end of this server's feed, as after a
  // restore).
  HttpResponse Get(const HttpRequest& request, const User& user);

 private:
  ServerStore& store_;
  FeedLimits limits_;
};

}  // namespace tributary::server
