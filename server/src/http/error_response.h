// Every HTTP error the server answers, built in one place: the protocol's
// error object, {"v": "1.0", "error": {"code", "message"[, "resume_from"]}},
// written by its JSON encoder, so a message is always escaped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http/http_message.h"

namespace tributary::server {

// `code` is a stable name (docs/protocol.md, docs/api.md); `message` a
// sentence for people. `resume_from` only for sequence_gap.
HttpResponse ErrorResponse(int status, std::string code, std::string message,
                           std::optional<std::uint64_t> resume_from = std::nullopt);

}  // namespace tributary::server
