#include "keys/secret_file.h"

#include "tributary/common/log.h"
#include "tributary/common/secret_file.h"

namespace tributary::server {

bool SecretExists(const ServerPaths& paths, const std::string& name) {
  return secrets::Exists(paths.dir, name);
}

std::string ReadSecret(const ServerPaths& paths, const std::string& name,
                       const std::string& missing) {
  return secrets::Read(paths.dir, name, missing);
}

void WriteNewSecret(const ServerPaths& paths, const std::string& name, const std::string& text) {
  secrets::WriteNew(paths.dir, name, text);
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
