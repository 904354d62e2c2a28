#include "keys/secret_file.h"

#include <sys/stat.h>

#include <cstdlib>
#include <optional>

#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/log.h"

namespace tributary::server {
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

bool SecretExists(const ServerPaths& paths, const std::string& name) {
  std::error_code ec;
  return Credential(name) || std::filesystem::exists(paths.dir / name, ec);
}

std::string ReadSecret(const ServerPaths& paths, const std::string& name,
                       const std::string& missing) {
  if (auto credential = Credential(name)) return Trimmed(files::Read(*credential));
  std::filesystem::path file = paths.dir / name;
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    throw Error::NotFound(file.string() + " is missing: " + missing);
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw Error::Forbidden(file.string() +
                           " may be read by others than its owner; it is a secret of the "
                           "server: chmod 600 it");
  }
  return Trimmed(files::Read(file));
}

void WriteNewSecret(const ServerPaths& paths, const std::string& name, const std::string& text) {
  std::filesystem::path file = paths.dir / name;
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    throw Error::AlreadyExists(file.string() + " is already there; a secret is never replaced");
  }
  files::WriteAtomic(file, text + "\n");  // 0600
}

std::string ReadOrCreateSecret(const ServerPaths& paths, const std::string& name,
                               const std::function<std::string()>& make) {
  if (!SecretExists(paths, name)) {
    WriteNewSecret(paths, name, make());
    log::Warning("server_secret_created",
                 (paths.dir / name).string() +
                     ": made now; copy it to every other instance of this server and keep it in "
                     "the backups");
  }
  return ReadSecret(paths, name, "it was just made");
}

}  // namespace tributary::server
