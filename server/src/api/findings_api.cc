#include "api/findings_api.h"

#include <boost/json.hpp>

#include "api/api_request.h"
#include "tributary/common/error.h"
#include "tributary/common/log.h"

namespace tributary::server {

HttpResponse FindingsApi::Publish(const HttpRequest& request, const User& user) {
  api::QueryParams(request, {});
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
