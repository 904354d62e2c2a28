// Rollups for people, GET /rollups?level=practice|pcn|place|ics&code=ORG&period=YYYY-MM
// (defaults: the user's scope, its level, the latest month): coverage; every
// headline measure with the practices it covers beside it; a 12-month trend
// chart of each (SVG, with the same numbers as a table); drill-down to the
// organisations below (ICS to places to PCNs to practices); every measure's
// breakdowns; and "Download CSV" of what is shown:
// GET /rollups/download?level=&code=&period= (the API's tidy CSV).
#pragma once

#include "http/http_message.h"
#include "web/api_client.h"
#include "web/page_readings.h"
#include "web/web_request.h"

namespace tributary::server::web {

HttpResponse RollupsPage(const WebRequest& request, const ApiClient& api, PageReadings& readings);
HttpResponse RollupsDownload(const WebRequest& request, const ApiClient& api);

}  // namespace tributary::server::web
