// Body compression (zstd, "Content-Encoding: zstd"). Thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tributary::protocol {

std::string Compress(std::string_view data);

// The decompressed data, or nullopt if `data` is not a valid zstd stream or
// would decompress to more than `max_bytes` (a compression bomb).
std::optional<std::string> Decompress(std::string_view data, std::size_t max_bytes);

}  // namespace tributary::protocol
