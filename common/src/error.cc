#include "tributary/common/error.h"

namespace tributary {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kInvalidInput:
      return "invalid_input";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kDatabase:
      return "database";
    case ErrorCode::kCorruption:
      return "corruption";
    case ErrorCode::kCrypto:
      return "crypto";
    case ErrorCode::kNetwork:
      return "network";
    case ErrorCode::kProtocol:
      return "protocol";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

Error Error::InvalidArgument(const std::string& m) { return {ErrorCode::kInvalidArgument, m}; }
Error Error::InvalidInput(const std::string& m) { return {ErrorCode::kInvalidInput, m}; }
Error Error::NotFound(const std::string& m) { return {ErrorCode::kNotFound, m}; }
Error Error::AlreadyExists(const std::string& m) { return {ErrorCode::kAlreadyExists, m}; }
Error Error::Io(const std::string& m) { return {ErrorCode::kIo, m}; }
Error Error::Database(const std::string& m) { return {ErrorCode::kDatabase, m}; }
Error Error::Corruption(const std::string& m) { return {ErrorCode::kCorruption, m}; }
Error Error::Crypto(const std::string& m) { return {ErrorCode::kCrypto, m}; }
Error Error::Network(const std::string& m) { return {ErrorCode::kNetwork, m}; }
Error Error::Protocol(const std::string& m) { return {ErrorCode::kProtocol, m}; }
Error Error::Unauthorized(const std::string& m) { return {ErrorCode::kUnauthorized, m}; }
Error Error::Forbidden(const std::string& m) { return {ErrorCode::kForbidden, m}; }
Error Error::Conflict(const std::string& m) { return {ErrorCode::kConflict, m}; }
Error Error::Unavailable(const std::string& m) { return {ErrorCode::kUnavailable, m}; }
Error Error::Unavailable(const std::string& m, std::chrono::seconds retry_after) {
  Error e{ErrorCode::kUnavailable, m};
  e.retry_after_ = retry_after;
  return e;
}
Error Error::Internal(const std::string& m) { return {ErrorCode::kInternal, m}; }

}  // namespace tributary
