// Fuzz target: every protocol decoder, and zstd decompression, on untrusted
// bytes. The first byte picks the message type; the rest is the message.
//
// Properties beyond "no crash, no leak, no undefined behaviour": a decoder
// either accepts or names a field and a reason; and whatever it accepts
// re-encodes to text that decodes to the same encoding (so nothing accepted
// is silently altered on the way through).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "tributary/protocol/codec.h"
#include "tributary/protocol/compression.h"

using namespace tributary::protocol;

namespace {

// Small limits so the fuzzer reaches every limit check quickly.
DecodeLimits FuzzLimits() {
  DecodeLimits limits;
  limits.max_message_bytes = 64 * 1024;
  limits.max_changes = 16;
  limits.max_fields_per_record = 8;
  limits.max_string_bytes = 256;
  return limits;
}

template <typename Decode>
void CheckDecoder(std::string_view text, Decode decode) {
  const DecodeLimits limits = FuzzLimits();
  auto decoded = decode(text, limits);
  if (!decoded.ok()) {
    FUZZ_CHECK(!decoded.error().message.empty());
    FUZZ_CHECK(!DecodeErrorCodeName(decoded.error().code).empty());
    return;
  }
  std::string encoded = Encode(decoded.value());
  // The default limits: re-encoding may legitimately grow escapes past the
  // fuzz limits, but never past the real ones.
  auto again = decode(encoded, DecodeLimits{});
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(Encode(again.value()) == encoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 11) {
    case 0:
      CheckDecoder(text, [](auto t, auto l) { return DecodeEnrolRequest(t, l); });
      break;
    case 1:
      CheckDecoder(text, [](auto t, auto l) { return DecodeEnrolReply(t, l); });
      break;
    case 2:
      CheckDecoder(text, [](auto t, auto l) { return DecodeRenewRequest(t, l); });
      break;
    case 3:
      CheckDecoder(text, [](auto t, auto l) { return DecodeRenewReply(t, l); });
      break;
    case 4:
      CheckDecoder(text, [](auto t, auto l) { return DecodeHeartbeat(t, l); });
      break;
    case 5:
      CheckDecoder(text, [](auto t, auto l) { return DecodeHeartbeatReply(t, l); });
      break;
    case 6:
      CheckDecoder(text, [](auto t, auto l) { return DecodePushBatch(t, l); });
      break;
    case 7:
      CheckDecoder(text, [](auto t, auto l) { return DecodePushReply(t, l); });
      break;
    case 8:
      CheckDecoder(text, [](auto t, auto l) { return DecodeErrorReply(t, l); });
      break;
    case 9:
      CheckDecoder(text, [](auto t, auto l) { return DecodePullReply(t, l); });
      break;
    case 10: {
      constexpr std::size_t kLimit = 1 << 20;
      auto plain = Decompress(text, kLimit);
      if (plain) {
        FUZZ_CHECK(plain->size() <= kLimit);
        auto round = Decompress(Compress(*plain), kLimit);
        FUZZ_CHECK(round && *round == *plain);
      }
      break;
    }
  }
  return 0;
}
