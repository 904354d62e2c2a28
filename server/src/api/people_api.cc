#include "api/people_api.h"

#include "api/api_document.h"
#include "api/pagination.h"
#include "http/error_response.h"
#include "http/query_string.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

// The operation `method` of `api`, bound to it; called only with a user.
template <typename Api>
std::function<HttpResponse(const HttpRequest&, const User*)> Bind(
    Api& api, HttpResponse (Api::*method)(const HttpRequest&, const User&)) {
  return [&api, method](const HttpRequest& request, const User* user) {
    return (api.*method)(request, *user);
  };
}

}  // namespace

PeopleApi::PeopleApi(ServerStore& store, FindingsPublisher& findings)
    : findings_cache_(store),
      rollups_(store),
      returns_(store, findings_cache_),
      corrections_(store),
      findings_(findings),
      agents_(store),
      periods_(store),
      orgs_(store),
      exports_(store),
      feed_(store) {
  auto document = [](const HttpRequest& request, const User*) { return OpenApiResponse(request); };
  auto dictionary = [](const HttpRequest& request, const User*) {
    return DictionaryResponse(request);
  };
  operations_ = {
      {"GET", "/v1/openapi.json", false, true, document},
      {"GET", "/v1/dictionary", false, true, dictionary},
      {"GET", "/v1/orgs", true, true, Bind(orgs_, &OrgsApi::Get), "organisations"},
      {"GET", "/v1/rollups", true, true, Bind(rollups_, &RollupsApi::Get)},
      {"GET", "/v1/exports/appointments", true, true, Bind(exports_, &ExportsApi::Appointments)},
      {"GET", "/v1/exports/workforce", true, true, Bind(exports_, &ExportsApi::Workforce)},
      {"GET", "/v1/feed", true, false, Bind(feed_, &FeedApi::Get)},
      {"GET", "/v1/returns", true, false, Bind(returns_, &ReturnsApi::List), "returns"},
      {"GET", "/v1/returns/detail", true, false, Bind(returns_, &ReturnsApi::Detail)},
      {"POST", "/v1/returns/query", true, false, Bind(returns_, &ReturnsApi::Query)},
      {"POST", "/v1/returns/approve", true, false, Bind(returns_, &ReturnsApi::Approve)},
      {"POST", "/v1/returns/approve-bulk/preview", true, false,
       Bind(returns_, &ReturnsApi::BulkPreview)},
      {"POST", "/v1/returns/approve-bulk", true, false, Bind(returns_, &ReturnsApi::BulkApprove)},
      {"GET", "/v1/records", true, false, Bind(corrections_, &CorrectionsApi::Records), "records"},
      {"POST", "/v1/records/correct", true, false, Bind(corrections_, &CorrectionsApi::Correct)},
      {"GET", "/v1/conflicts", true, false, Bind(corrections_, &CorrectionsApi::Conflicts),
       "conflicts"},
      {"POST", "/v1/conflicts/resolve", true, false, Bind(corrections_, &CorrectionsApi::Resolve)},
      {"GET", "/v1/periods", true, false, Bind(periods_, &PeriodsApi::List), "periods"},
      {"POST", "/v1/periods/close", true, false, Bind(periods_, &PeriodsApi::Close)},
      {"POST", "/v1/periods/reopen", true, false, Bind(periods_, &PeriodsApi::Reopen)},
      {"POST", "/v1/periods/publish", true, false, Bind(periods_, &PeriodsApi::Publish)},
      {"GET", "/v1/periods/lineage", true, false, Bind(periods_, &PeriodsApi::Lineage), "returns"},
      {"POST", "/v1/findings/publish", true, false, Bind(findings_, &FindingsApi::Publish)},
      {"GET", "/v1/agents", true, false, Bind(agents_, &AgentsApi::Get), "agents"},
  };
}

bool PeopleApi::Serves(const std::string& path) const {
  for (const ApiOperation& operation : operations_) {
    if (operation.path == path) return true;
  }
  return false;
}

HttpResponse PeopleApi::Handle(const std::string& path, const HttpRequest& request,
                               const User* user) {
  const ApiOperation* found = nullptr;
  std::string allowed;
  for (const ApiOperation& operation : operations_) {
    if (operation.path != path) continue;
    allowed += (allowed.empty() ? "" : ", ") + operation.method;
    if (operation.method == request.method) found = &operation;
  }
  if (allowed.empty()) throw Error::NotFound("no route " + path);
  // A wrong method is named before asking who is calling.
  if (found == nullptr) return MethodNotAllowed(allowed);
  if (found->needs_token && user == nullptr) {
    HttpResponse refused = ErrorResponse(401, "unauthorized",
                                         "send an API token as 'Authorization: Bearer TOKEN' "
                                         "(tributary-server user add issues one)");
    refused.headers.emplace_back("WWW-Authenticate", "Bearer");
    return refused;
  }
  // An operation that takes a body takes nothing in the query string.
  if (request.method == "POST" && request.target.find('?') != std::string::npos) {
    throw Error::InvalidArgument(request.method + " " + path +
                                 " takes its arguments in the JSON body, not the query string");
  }
  HttpResponse response;
  if (found->list != nullptr) {
    PageRequest page = ReadPageRequest(request);
    HttpRequest unpaged = request;
    unpaged.target = WithoutParameters(request.target, {"limit", "cursor"});
    response = found->answer(unpaged, found->needs_token ? user : nullptr);
    Paginate(response, found->list, page);
  } else {
    response = found->answer(request, found->needs_token ? user : nullptr);
  }
  // A client that has the answer sends If-None-Match and is told 304, with
  // no body, while nothing changed.
  if (found->revalidates && response.status == 200) {
    std::string etag = "\"" + digest::Sha256Hex(response.body).substr(0, 32) + "\"";
    response.headers.emplace_back("ETag", etag);
    if (request.Header("if-none-match") == etag) {
      response.status = 304;
      response.body.clear();
    }
  }
  return response;
}

}  // namespace tributary::server
