// Bulk approval, "Approve all submitted":
//   GET  /returns/approve-all?code=ORG&period=YYYY-MM
//        a preview listing exactly what will be approved (each return at the
//        revision shown), with "Confirm approval";
//   POST /returns/approve-all  {code, period, r0..rN = PRACTICE|DATASET|REVISION}
//        approves exactly those, all or none: if anything changed since the
//        preview nothing is approved and the page (409) says what moved and
//        offers the new preview.
#pragma once

#include "http/http_message.h"
#include "web/api_client.h"
#include "web/web_request.h"

namespace tributary::server::web {

HttpResponse BulkApprovalPreview(const WebRequest& request, const ApiClient& api);
HttpResponse ConfirmBulkApproval(const WebRequest& request, const ApiClient& api);

}  // namespace tributary::server::web
