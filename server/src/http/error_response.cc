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

HttpResponse MethodNotAllowed(const std::string& allowed_method) {
  HttpResponse response = ErrorResponse(405, "method_not_allowed", "use " + allowed_method);
  response.headers.emplace_back("Allow", allowed_method);
  return response;
}

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInvalidInput:
    case ErrorCode::kProtocol:
      return 400;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

}  // namespace tributary::server
