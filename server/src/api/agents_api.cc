#include "api/agents_api.h"

#include <boost/json.hpp>

#include "api/api_request.h"
#include "enrol/agent_service.h"
#include "report/agent_report.h"
#include "tributary/common/error.h"

namespace tributary::server {

HttpResponse AgentsApi::Get(const HttpRequest& request, const User& user) {
  if (user.role != Role::kAdmin) throw Error::Forbidden("only an admin can read agent health");
  api::QueryParams(request, {});
  HttpResponse response;
  response.body = boost::json::serialize(boost::json::object{
      {"agents", AgentsJson(AgentService(store_).Statuses(), store_.NowMillis())}});
  return response;
}

}  // namespace tributary::server
