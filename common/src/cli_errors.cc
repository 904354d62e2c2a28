#include "tributary/common/cli_errors.h"

#include <cstdio>

namespace tributary {

ExitStatus ExitStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return kExitUsage;
    case ErrorCode::kInvalidInput:
      return kExitInvalidInput;
    case ErrorCode::kNetwork:
    case ErrorCode::kUnavailable:
      return kExitRetry;
    case ErrorCode::kUnauthorized:
    case ErrorCode::kForbidden:
    case ErrorCode::kConflict:
    case ErrorCode::kNotFound:
    case ErrorCode::kAlreadyExists:
      return kExitRefused;
    case ErrorCode::kIo:
    case ErrorCode::kDatabase:
    case ErrorCode::kCorruption:
    case ErrorCode::kCrypto:
    case ErrorCode::kProtocol:
    case ErrorCode::kInternal:
      return kExitFailure;
  }
  return kExitFailure;
}

int ReportError(const Error& error) {
  std::fprintf(stderr, "error [%.*s]: %s\n", static_cast<int>(ErrorCodeName(error.code()).size()),
               ErrorCodeName(error.code()).data(), error.what());
  return ExitStatusFor(error.code());
}

}  // namespace tributary
