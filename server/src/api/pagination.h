// Pagination of every list the people's API answers (docs/api.md
// "Pagination"): `limit` (1 to 100000) and `cursor` (the `next_cursor` of
// the page before). Without either, a list comes whole, as it always has.
// With them, a JSON answer's list holds at most `limit` items and the answer
// gains "next_cursor" (null on the last page); a CSV answer holds at most
// `limit` rows under its header, and the Next-Cursor header names the next
// page while there is one. A cursor is a position in the list's own stable
// order; a list that changes between pages may shift under it (the change
// feed, GET /v1/feed, is the way to follow changes).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "http/http_message.h"

namespace tributary::server {

struct PageRequest {
  std::size_t offset = 0;
  std::optional<std::size_t> limit;  // nullopt: to the end
  bool asked = false;                // `limit` or `cursor` was given
};

inline constexpr std::size_t kMaxPageLimit = 100000;

// The page `request` asks for. Throws Error(kInvalidArgument) for a limit
// outside 1..kMaxPageLimit or a cursor no page gave.
PageRequest ReadPageRequest(const HttpRequest& request);

// Cuts the list `member` of a JSON answer, or the rows of a CSV answer, down
// to the page. Only answers with status 200 are touched.
void Paginate(HttpResponse& response, const std::string& member, const PageRequest& page);

}  // namespace tributary::server
