#include "tributary/common/key_pair_files.h"

#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/platform_file.h"

namespace tributary::files {
namespace fs = std::filesystem;
namespace {

fs::path Pending(const fs::path& path) { return path.string() + ".new"; }

}  // namespace

void ReplaceKeyPair(const fs::path& key, std::string_view key_pem, const fs::path& certificate,
                    std::string_view certificate_pem, fs::perms certificate_mode) {
  WriteAtomic(Pending(key), key_pem);
  WriteAtomic(Pending(certificate), certificate_pem, certificate_mode);
  FinishKeyPair(key, certificate);
}

void FinishKeyPair(const fs::path& key, const fs::path& certificate) {
  // Written in this order: key.new, certificate.new; renamed key first. So a
  // certificate.new with no key.new means the key is already in place.
  if (!fs::exists(Pending(certificate))) {
    // No certificate waiting: a lone key.new is from a replacement that never
    // got its certificate, and is of no use.
    std::error_code ignored;
    fs::remove(Pending(key), ignored);
    return;
  }
  if (fs::exists(Pending(key))) platform::RenameOver(Pending(key), key);
  platform::RenameOver(Pending(certificate), certificate);
}

}  // namespace tributary::files
