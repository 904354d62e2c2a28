#include "api/people_api.h"

#include "api/api_request.h"
#include "tributary/common/digest.h"

namespace tributary::server {
namespace {

bool Under(const std::string& path, const std::string& root) {
  return path == root || path.rfind(root + "/", 0) == 0;
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
      orgs_(store) {}

bool PeopleApi::Serves(const std::string& path) {
  return path == "/v1/rollups" || path == "/v1/agents" || path == "/v1/orgs" ||
         Under(path, "/v1/returns") || Under(path, "/v1/records") || Under(path, "/v1/conflicts") ||
         Under(path, "/v1/findings") || Under(path, "/v1/periods");
}

HttpResponse PeopleApi::Handle(const std::string& path, const HttpRequest& request,
                               const User& user) {
  HttpResponse response = Route(path, request, user);
  // Figures and the hierarchy carry an ETag: a client that has them sends
  // If-None-Match and is told 304, with no body, while nothing changed.
  bool revalidates = path == "/v1/rollups" || path == "/v1/orgs";
  if (revalidates && request.method == "GET" && response.status == 200) {
    std::string etag = "\"" + digest::Sha256Hex(response.body).substr(0, 32) + "\"";
    response.headers.emplace_back("ETag", etag);
    if (request.Header("if-none-match") == etag) {
      response.status = 304;
      response.body.clear();
    }
  }
  return response;
}

HttpResponse PeopleApi::Route(const std::string& path, const HttpRequest& request,
                              const User& user) {
  if (path == "/v1/rollups") {
    if (request.method != "GET") return api::MethodNotAllowed("GET");
    return rollups_.Get(request, user);
  }
  if (path == "/v1/agents") return agents_.Get(request, user);
  if (path == "/v1/orgs") return orgs_.Get(request, user);
  if (Under(path, "/v1/returns")) return returns_.Handle(path, request, user);
  if (Under(path, "/v1/findings")) return findings_.Handle(path, request, user);
  if (Under(path, "/v1/periods")) return periods_.Handle(path, request, user);
  return corrections_.Handle(path, request, user);
}

}  // namespace tributary::server
