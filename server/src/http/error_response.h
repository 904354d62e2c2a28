// Every HTTP error the server answers, built in one place: the protocol's
// error object, {"v": "1.0", "error": {"code", "message"[, "resume_from"]}},
// written by its JSON encoder, so a message is always escaped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http/http_message.h"
#include "tributary/common/error.h"

namespace tributary::server {

// `code` is a stable name (docs/protocol.md, docs/api.md); `message` a
// sentence for people. `resume_from` only for sequence_gap.
HttpResponse ErrorResponse(int status, std::string code, std::string message,
                           std::optional<std::uint64_t> resume_from = std::nullopt);

// 405 naming the one method the route takes, in the message and in `Allow`.
HttpResponse MethodNotAllowed(const std::string& allowed_method);

// The HTTP status an Error of `code` is answered with: 400 for bad input,
// 401, 403, 404, 409, 503; 500 for everything else.
int HttpStatusFor(ErrorCode code);

}  // namespace tributary::server
