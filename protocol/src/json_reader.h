// Strict field access over a parsed JSON object, for the codec. Each accessor
// throws DecodeFailure naming the JSON path; the codec's public functions
// catch it, so it never leaves this component.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "tributary/protocol/codec.h"

namespace tributary::protocol::detail {

struct DecodeFailure {
  DecodeError error;
};

[[noreturn]] void Fail(DecodeErrorCode code, std::string field, std::string message);

class ObjectReader {
 public:
  ObjectReader(const boost::json::value& value, std::string path, const DecodeLimits& limits);

  bool Has(std::string_view name) const;
  std::string String(std::string_view name) const;
  std::string OptionalString(std::string_view name) const;
  std::uint64_t Unsigned(std::string_view name) const;
  std::optional<std::uint64_t> OptionalUnsigned(std::string_view name) const;
  bool Bool(std::string_view name) const;
  const boost::json::array& Array(std::string_view name, std::size_t max_items) const;
  ObjectReader Object(std::string_view name) const;
  const boost::json::object& object() const { return *object_; }
  const std::string& path() const { return path_; }
  const DecodeLimits& limits() const { return limits_; }

  std::string PathOf(std::string_view name) const;

 private:
  const boost::json::value* Find(std::string_view name) const;
  const boost::json::value& Require(std::string_view name) const;

  const boost::json::object* object_;
  std::string path_;
  const DecodeLimits& limits_;
};

// Parses `text` within the limits, checks it is an object with a supported
// "v", and returns it.
boost::json::value ParseMessage(std::string_view text, const DecodeLimits& limits);

std::string StringOf(const boost::json::value& value, const std::string& path,
                     const DecodeLimits& limits);

}  // namespace tributary::protocol::detail
