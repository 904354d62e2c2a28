// The pages for refusals and failures: 400, 403, 404, 405, 409 and 500.
// They say what happened in words a person can act on; a 500 never shows
// the error itself (it is in the server's log).
#pragma once

#include <string>

#include "http/http_message.h"
#include "users/user.h"

namespace tributary::server::web {

// `message` is shown for 400, 403 and 409 (the API's own words); for 500 it
// is the request id the log holds the cause under.
HttpResponse ErrorPage(int status, const std::string& message, const User* user,
                       const std::string& csrf);

}  // namespace tributary::server::web
