#include "tributary/common/secret_file.h"

#include <cstdlib>
#include <optional>

#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/platform_file.h"

namespace tributary::secrets {
namespace {

std::optional<std::filesystem::path> Credential(const std::string& name) {
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  if (dir == nullptr || *dir == '\0') return std::nullopt;
  std::filesystem::path file = std::filesystem::path(dir) / name;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  return file;
}

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

bool Exists(const std::filesystem::path& dir, const std::string& name) {
  std::error_code ec;
  return Credential(name) || std::filesystem::exists(dir / name, ec);
}

std::string Read(const std::filesystem::path& dir, const std::string& name,
                 const std::string& missing) {
  if (auto credential = Credential(name)) return Trimmed(files::Read(*credential));
  std::filesystem::path file = dir / name;
  if (platform::KindOf(file) == platform::PathKind::kMissing) {
    throw Error::NotFound(file.string() + " is missing: " + missing);
  }
  if (platform::OthersMayRead(file)) {
    throw Error::Forbidden(file.string() +
                           " may be read by others than its owner; it is a secret: chmod 600 it");
  }
  return Trimmed(files::Read(file));
}

void WriteNew(const std::filesystem::path& dir, const std::string& name, const std::string& text) {
  std::filesystem::path file = dir / name;
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    throw Error::AlreadyExists(file.string() + " is already there; a secret is never replaced");
  }
  files::WriteAtomic(file, text + "\n");  // 0600
}

}  // namespace tributary::secrets
