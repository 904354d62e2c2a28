#include "http/error_response.h"

#include "tributary/protocol/codec.h"

namespace tributary::server {

HttpResponse ErrorResponse(int status, std::string code, std::string message,
                           std::optional<std::uint64_t> resume_from) {
  HttpResponse response;
  response.status = status;
  response.body =
      protocol::Encode(protocol::ErrorReply{std::move(code), std::move(message), resume_from});
  return response;
}

}  // namespace tributary::server
