// The ICS's months, GET /periods: each month's state, coverage in the
// user's scope and published versions; for an ICS manager or an admin the
// actions "Close month", "Reopen month" and "Publish" (a new immutable
// version), each a POST to /periods/close|reopen|publish {period} that
// comes back to the page saying what was done, or why not.
#pragma once

#include "http/http_message.h"
#include "web/api_client.h"
#include "web/web_request.h"

namespace tributary::server::web {

HttpResponse PeriodsPage(const WebRequest& request, const ApiClient& api);
HttpResponse PeriodAction(const WebRequest& request, const ApiClient& api);

}  // namespace tributary::server::web
