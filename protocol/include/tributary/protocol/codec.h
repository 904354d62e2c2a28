// Encoding and strict decoding of protocol messages (JSON).
//
// Decoding never throws and never trusts its input: the wrong type, a missing
// field, an unknown major version, an oversize message or one nested too deep
// each give a DecodeError naming the offending field. Thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "tributary/protocol/messages.h"

namespace tributary::protocol {

// Every limit the decoder enforces, with its default.
struct DecodeLimits {
  std::size_t max_message_bytes = 64 * 1024 * 1024;
  std::size_t max_changes = 20'000;
  std::size_t max_fields_per_record = 64;
  std::size_t max_string_bytes = 64 * 1024;
};

enum class DecodeErrorCode {
  kTooLarge,            // over max_message_bytes, max_changes or another size limit
  kMalformed,           // not JSON, or not a JSON object
  kUnsupportedVersion,  // missing "v" or an unknown major version
  kMissingField,
  kWrongType,
  kInvalidValue,  // the right type but not an allowed value
};

struct DecodeError {
  DecodeErrorCode code = DecodeErrorCode::kMalformed;
  std::string field;  // JSON path of the offending value, e.g. "changes[3].seq"
  std::string message;
};

// Either a decoded message or the reason it was refused.
template <typename T>
class Decoded {
 public:
  Decoded(T value) : result_(std::move(value)) {}            // NOLINT: implicit by design
  Decoded(DecodeError error) : result_(std::move(error)) {}  // NOLINT
  bool ok() const { return std::holds_alternative<T>(result_); }
  const T& value() const { return std::get<T>(result_); }
  T& value() { return std::get<T>(result_); }
  const DecodeError& error() const { return std::get<DecodeError>(result_); }

 private:
  std::variant<T, DecodeError> result_;
};

std::string_view DecodeErrorCodeName(DecodeErrorCode code);

std::string Encode(const EnrolRequest& message);
std::string Encode(const EnrolReply& message);
std::string Encode(const RenewRequest& message);
std::string Encode(const RenewReply& message);
std::string Encode(const Heartbeat& message);
std::string Encode(const HeartbeatReply& message);
std::string Encode(const PersonKeyRequest& message);
std::string Encode(const PersonKeyReply& message);
std::string Encode(const PushBatch& message);
std::string Encode(const PushReply& message);
std::string Encode(const ErrorReply& message);
std::string Encode(const PullReply& message);

Decoded<EnrolRequest> DecodeEnrolRequest(std::string_view text, const DecodeLimits& limits = {});
Decoded<EnrolReply> DecodeEnrolReply(std::string_view text, const DecodeLimits& limits = {});
Decoded<RenewRequest> DecodeRenewRequest(std::string_view text, const DecodeLimits& limits = {});
Decoded<RenewReply> DecodeRenewReply(std::string_view text, const DecodeLimits& limits = {});
Decoded<Heartbeat> DecodeHeartbeat(std::string_view text, const DecodeLimits& limits = {});
Decoded<HeartbeatReply> DecodeHeartbeatReply(std::string_view text,
                                             const DecodeLimits& limits = {});
Decoded<PersonKeyRequest> DecodePersonKeyRequest(std::string_view text,
                                                 const DecodeLimits& limits = {});
Decoded<PersonKeyReply> DecodePersonKeyReply(std::string_view text,
                                             const DecodeLimits& limits = {});
Decoded<PushBatch> DecodePushBatch(std::string_view text, const DecodeLimits& limits = {});
Decoded<PushReply> DecodePushReply(std::string_view text, const DecodeLimits& limits = {});
Decoded<ErrorReply> DecodeErrorReply(std::string_view text, const DecodeLimits& limits = {});
Decoded<PullReply> DecodePullReply(std::string_view text, const DecodeLimits& limits = {});

std::string_view ChangeOpName(ChangeOp op);
std::string_view OutcomeName(Outcome outcome);

}  // namespace tributary::protocol
