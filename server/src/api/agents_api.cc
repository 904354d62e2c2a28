#include "api/agents_api.h"

#include <boost/json.hpp>

#include "api/api_request.h"
#include "report/agent_report.h"
#include "tributary/common/error.h"

namespace tributary::server {

HttpResponse AgentsApi::Get(const HttpRequest& request, const User& user) {
  if (user.role != Role::kAdmin) throw Error::Forbidden("only an admin can read agent health");
  api::QueryParams(request, {});
  HttpResponse response;
  response.body = boost::json::serialize(
      boost::json::object{{"agents", AgentsJson(store_.AgentStatuses(), store_.NowMillis())}});
  return response;
}

}  // namespace tributary::server
