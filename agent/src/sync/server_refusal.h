// The one mapping from a server's refusal (an HTTP status other than 200 and
// its error object) to the agent's Error codes, for push and pull alike:
// 429/503 -> kUnavailable carrying Retry-After; 401 -> kUnauthorized (this
// identity cannot sync: not enrolled, unknown or revoked certificate);
// 403 -> kForbidden; anything else -> kProtocol.
#pragma once

#include "sync/transport.h"

namespace tributary::agent {

// `what` names the request in the message, e.g. "push".
[[noreturn]] void ThrowServerRefusal(const HttpsResponse& response, const char* what);

}  // namespace tributary::agent
