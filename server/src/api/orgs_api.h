// GET /v1/orgs?period=YYYY-MM[&code=ORG][&format=json|csv] (docs/api.md):
// the organisation `code` (default the person's scope) and everything under
// it as the hierarchy stood on the month's first day — the day rollups use —
// with names, types, parents and validity, so analysts can label and join
// the figures. JSON {"period", "code", "organisations": [...]} or CSV with
// the same columns. Anyone may read within their scope.
#pragma once

#include "http/http_message.h"
#include "store/server_store.h"
#include "users/user.h"

namespace tributary::server {

class OrgsApi {
 public:
  explicit OrgsApi(ServerStore& store) : store_(store) {}

  // Throws Error: kInvalidArgument (400: no or a malformed period, an
  // unknown parameter or format), kForbidden (403: `code` outside the
  // scope), kNotFound (404: `code` did not exist that month).
  HttpResponse Get(const HttpRequest& request, const User& user);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
