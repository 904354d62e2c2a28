// A private key and its certificate replaced together, so the pair on disk
// always belongs together: both are written beside the old ones (NAME.new),
// then renamed into place, key first. A crash part-way leaves the old pair,
// or new files that FinishKeyPair puts in place at the next start.
//
// Throws Error(kIo) when a file cannot be written or renamed. Not for two
// processes replacing the same pair at once.
#pragma once

#include <filesystem>
#include <string_view>

namespace tributary::files {

// `certificate_mode` is the certificate's file mode (the key is always 0600).
void ReplaceKeyPair(const std::filesystem::path& key, std::string_view key_pem,
                    const std::filesystem::path& certificate, std::string_view certificate_pem,
                    std::filesystem::perms certificate_mode = std::filesystem::perms::owner_read |
                                                              std::filesystem::perms::owner_write);

// Completes a replacement a crash interrupted, if any. Call before reading
// the pair.
void FinishKeyPair(const std::filesystem::path& key, const std::filesystem::path& certificate);

}  // namespace tributary::files
