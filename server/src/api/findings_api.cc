#include "api/findings_api.h"

#include <boost/json.hpp>

#include "api/api_request.h"
#include "tributary/common/error.h"
#include "tributary/common/log.h"

namespace tributary::server {

HttpResponse FindingsApi::Handle(const std::string& path, const HttpRequest& request,
                                 const User& user) {
  if (path != "/v1/findings/publish") throw Error::NotFound("no route " + path);
  if (request.method != "POST") return api::MethodNotAllowed("POST");
  if (user.role != Role::kAdmin) {
    throw Error::Forbidden("only an admin can publish findings ahead of the schedule");
  }
  FindingsPublished published = publisher_.Publish();
  log::Info("findings_publish_requested", "by=" + api::Actor(user));
  HttpResponse response;
  response.body = boost::json::serialize(
      boost::json::object{{"months", published.months}, {"notices", published.notices}});
  return response;
}

}  // namespace tributary::server
