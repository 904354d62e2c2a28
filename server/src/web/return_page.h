// One return, /returns/PRACTICE/DATASET/YYYY-MM:
//   GET               its state and revision, the practice agent's health,
//                     figures, findings (cross-practice ones included),
//                     refused changes, open conflicts with their resolution
//                     actions, changes since approval value by value, its
//                     history, and the actions "Approve" and "Query" (with
//                     a "Comment"), each sending the revision shown;
//   POST .../approve  {revision}          -> back to the page, or the page
//                                            saying what changed (409);
//   POST .../query    {revision, comment} -> back to the page;
//   POST .../resolve  {conflict, keep=practice|central}.
#pragma once

#include "http/http_message.h"
#include "web/api_client.h"
#include "web/page_readings.h"
#include "web/web_request.h"

namespace tributary::server::web {

// Any request under /returns/ but the roster and bulk approval. Throws Error
// as the API refuses; an unknown path is kNotFound.
HttpResponse ReturnPages(const WebRequest& request, const ApiClient& api, PageReadings& readings);

}  // namespace tributary::server::web
