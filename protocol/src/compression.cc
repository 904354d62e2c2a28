#include "tributary/protocol/compression.h"

#include <zstd.h>

#include <memory>

#include "tributary/common/error.h"

namespace tributary::protocol {
namespace {

// Level 3 is zstd's default: most of the ratio at a fraction of the CPU.
constexpr int kLevel = 3;

struct DStreamFree {
  void operator()(ZSTD_DStream* s) const { ZSTD_freeDStream(s); }
};

}  // namespace

std::string Compress(std::string_view data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), kLevel);
  if (ZSTD_isError(n)) throw Error::Internal(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

std::optional<std::string> Decompress(std::string_view data, std::size_t max_bytes) {
  std::unique_ptr<ZSTD_DStream, DStreamFree> stream(ZSTD_createDStream());
  if (!stream) return std::nullopt;
  ZSTD_initDStream(stream.get());
  std::string out;
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  std::string chunk(ZSTD_DStreamOutSize(), '\0');
  std::size_t last = 1;
  while (in.pos < in.size) {
    ZSTD_outBuffer buffer{chunk.data(), chunk.size(), 0};
    last = ZSTD_decompressStream(stream.get(), &buffer, &in);
    if (ZSTD_isError(last)) return std::nullopt;
    if (out.size() + buffer.pos > max_bytes) return std::nullopt;
    out.append(chunk.data(), buffer.pos);
    if (buffer.pos == 0 && last != 0 && in.pos == in.size) break;
  }
  // Flush what the decoder still holds for the final frame.
  while (last != 0) {
    ZSTD_outBuffer buffer{chunk.data(), chunk.size(), 0};
    last = ZSTD_decompressStream(stream.get(), &buffer, &in);
    if (ZSTD_isError(last)) return std::nullopt;
    if (buffer.pos == 0) break;
    if (out.size() + buffer.pos > max_bytes) return std::nullopt;
    out.append(chunk.data(), buffer.pos);
  }
  // A truncated frame leaves `last` non-zero: the stream is incomplete.
  if (last != 0) return std::nullopt;
  return out;
}

}  // namespace tributary::protocol
