// The error type used inside every Tributary component.
//
// Errors are exceptions carrying a fixed code, built only through the named
// factories below so that callers cannot invent codes. At each boundary (CLI,
// HTTP, protocol) the code becomes a stable string (ErrorCodeName) next to the
// human sentence in what().
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tributary {

enum class ErrorCode {
  kInvalidArgument,  // the caller passed something malformed (flag, value)
  kInvalidInput,     // a file or payload failed validation
  kNotFound,         // a named thing does not exist
  kAlreadyExists,    // creating something that is already there
  kIo,               // the operating system refused a file operation
  kDatabase,         // SQLite (or another store) reported an error
  kCorruption,       // stored data cannot be read back: the store is damaged
  kCrypto,           // OpenSSL reported an error
  kNetwork,          // the peer could not be reached or the transfer failed
  kProtocol,         // the peer answered something we cannot understand
  kUnauthorized,     // missing or invalid credentials
  kForbidden,        // valid credentials, not allowed
  kConflict,         // the request is refused given the current state
  kUnavailable,      // try again later
  kInternal,         // a bug: an invariant did not hold
};

// Stable, machine-readable name of a code, e.g. "invalid_input".
std::string_view ErrorCodeName(ErrorCode code);

class Error : public std::runtime_error {
 public:
  static Error InvalidArgument(const std::string& message);
  static Error InvalidInput(const std::string& message);
  static Error NotFound(const std::string& message);
  static Error AlreadyExists(const std::string& message);
  static Error Io(const std::string& message);
  static Error Database(const std::string& message);
  // What the program itself stored cannot be read back (a value outside its
  // type, bytes that do not decode): never guessed around, always reported.
  static Error Corruption(const std::string& message);
  static Error Crypto(const std::string& message);
  static Error Network(const std::string& message);
  static Error Protocol(const std::string& message);
  static Error Unauthorized(const std::string& message);
  static Error Forbidden(const std::string& message);
  static Error Conflict(const std::string& message);
  static Error Unavailable(const std::string& message);
  // The peer is busy and said when to come back.
  static Error Unavailable(const std::string& message, std::chrono::seconds retry_after);
  static Error Internal(const std::string& message);

  ErrorCode code() const { return code_; }
  // When the peer asked to be retried (HTTP Retry-After); nullopt if it did not.
  std::optional<std::chrono::seconds> retry_after() const { return retry_after_; }

 private:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code_;
  std::optional<std::chrono::seconds> retry_after_;
};

}  // namespace tributary
