// The returns roster, GET /returns?period=YYYY-MM[&code=ORG][&state=STATE]:
// one row per practice and dataset in the organisation (default the user's
// scope) for the month (default the latest with records), with state,
// revision, findings, changes since approval and the practice agent's
// health; a summary of expected, submitted and approved; a filter by state;
// and "Approve all submitted" for those who may approve.
#pragma once

#include <cstdint>
#include <string>

#include "http/http_message.h"
#include "web/api_client.h"
#include "web/page_readings.h"
#include "web/web_request.h"

namespace tributary::server::web {

// Throws Error as the API refuses (a scope not the user's: kForbidden).
HttpResponse RosterPage(const WebRequest& request, const ApiClient& api, PageReadings& readings);

// The month a page shows: `requested` when given ("YYYY-MM", checked by the
// API), else the latest month holding records, else the current month.
std::string MonthShown(const std::string& requested, PageReadings& readings, std::int64_t now_ms);

// An organisation as people know it: "Name (CODE)", or the code alone.
std::string OrgName(PageReadings& readings, const std::string& code, const std::string& period);

}  // namespace tributary::server::web
