// Every HTTP error the server answers, built in one place: an RFC 9457
// problem document (Content-Type application/problem+json),
//   {"type": "urn:tributary:problem:CODE", "title": "Forbidden", "status": 403,
//    "detail": "a sentence for people", "code": "CODE"[, "request_id"][, "resume_from"]}
// written by the JSON encoder, so a detail is always escaped. `code` is the
// stable name scripts branch on (docs/api.md, docs/protocol.md); `title` is
// the status's reason phrase, the same for every problem of that code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http/http_message.h"
#include "tributary/common/error.h"

namespace tributary::server {

inline constexpr const char* kProblemContentType = "application/problem+json";

// A problem answered with `status`. `resume_from` only for sequence_gap.
HttpResponse ErrorResponse(int status, std::string code, std::string message,
                           std::optional<std::uint64_t> resume_from = std::nullopt);

// 500 for a failure of the server's own: the detail says only to quote
// `request_id`, which the log holds the cause under.
HttpResponse InternalErrorResponse(std::string code, const std::string& request_id);

// 405 naming the methods the route takes, in the detail and in `Allow`
// ("GET" or "GET, POST").
HttpResponse MethodNotAllowed(const std::string& allowed_methods);

// The problem `response` carries, given as well in the sync protocol's 1.0
// error object ({"v": "1.0", "error": {"code", "message"[, "resume_from"]}})
// for agents that read only that (docs/protocol.md). A response that is not a
// problem is returned unchanged.
HttpResponse WithProtocolErrorObject(HttpResponse response);

// The HTTP status an Error of `code` is answered with: 400 for bad input,
// 401, 403, 404, 409, 503; 500 for everything else.
int HttpStatusFor(ErrorCode code);

// The reason phrase of an HTTP status ("Not Found"), the problem's title.
const char* ReasonPhrase(int status);

}  // namespace tributary::server
