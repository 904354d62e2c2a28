#include "sync/server_refusal.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "tributary/common/error.h"
#include "tributary/protocol/codec.h"

namespace tributary::agent {

void ThrowServerRefusal(const HttpsResponse& response, const char* what) {
  auto error = protocol::DecodeErrorReply(response.body);
  std::string why = error.ok() ? error.value().message + " [" + error.value().code + "]"
                               : "HTTP " + std::to_string(response.status);
  if (response.status == 429 || response.status == 503) {
    long seconds = std::max(response.retry_after_seconds, 1L);
    throw Error::Unavailable(
        std::string("server busy: ") + why + "; retry after " + std::to_string(seconds) + " s",
        std::chrono::seconds(seconds));
  }
  if (response.status == 401) throw Error::Unauthorized(why);
  if (response.status == 403) throw Error::Forbidden(why);
  throw Error::Protocol(std::string(what) + " refused: " + why);
}

}  // namespace tributary::agent
