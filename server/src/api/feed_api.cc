#include "api/feed_api.h"

#include <map>

#include "api/api_request.h"
#include "feed/feed_service.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

namespace json = boost::json;

std::size_t Limit(const std::string& text, const FeedLimits& limits) {
  if (text.empty()) return limits.default_limit;
  std::size_t limit = 0;
  if (text.size() <= 6 && text.find_first_not_of("0123456789") == std::string::npos) {
    limit = std::stoul(text);
  }
  if (limit < 1 || limit > limits.max_limit) {
    throw Error::InvalidArgument("limit must be a whole number from 1 to " +
                                 std::to_string(limits.max_limit) + ", not '" + text + "'");
  }
  return limit;
}

}  // namespace

HttpResponse FeedApi::Get(const HttpRequest& request, const User& user) {
  if (ScopeLevel(user.role) != OrgLevel::kIcs) {
    throw Error::Forbidden(
        "the change feed is for the ICS roles (ics-analyst, ics-manager, "
        "admin), not a " +
        std::string(RoleName(user.role)));
  }
  auto params = api::QueryParams(request, {"cursor", "limit", "format"});
  FeedPosition after;
  if (!params["cursor"].empty()) {
    std::optional<FeedPosition> parsed = FeedPosition::Parse(params["cursor"]);
    if (!parsed) {
      throw Error::InvalidArgument("cursor must be a next_cursor the feed gave, not '" +
                                   params["cursor"] + "'");
    }
    after = *parsed;
  }
  std::size_t limit = Limit(params["limit"], limits_);
  std::string format = params["format"].empty() ? "json" : params["format"];
  if (format != "json" && format != "ndjson") {
    throw Error::InvalidArgument("format must be json or ndjson, not '" + format + "'");
  }
  // The ICS a practice belonged to in the month of the change, asked once.
  std::shared_ptr<const OrgHierarchy> hierarchy = store_.Hierarchy();
  std::string today = FormatUtc(store_.NowMillis(), UtcFormat::kIsoDate);
  std::map<std::pair<std::string, std::string>, bool> known;
  const std::string& ics = user.scope;
  FeedScope in_scope = [&](const std::string& practice, const std::string& event_ics,
                           const std::string& period) {
    if (practice.empty()) return event_ics == ics;
    auto [it, fresh] = known.try_emplace({practice, period}, false);
    if (fresh) {
      it->second = hierarchy->IcsOf(practice, period.empty() ? today : period + "-01") == ics;
    }
    return it->second;
  };
  FeedPage page = FeedService(store_).Read(after, limit, in_scope);
  HttpResponse response;
  response.headers.emplace_back("Next-Cursor", page.next.ToString());
  response.headers.emplace_back("More", page.more ? "true" : "false");
  if (format == "ndjson") {
    response.content_type = "application/x-ndjson";
    for (const json::object& change : page.changes) response.body += json::serialize(change) + "\n";
    return response;
  }
  json::array changes;
  for (json::object& change : page.changes) changes.push_back(std::move(change));
  response.body = json::serialize(json::object{
      {"changes", std::move(changes)}, {"next_cursor", page.next.ToString()}, {"more", page.more}});
  return response;
}

}  // namespace tributary::server
