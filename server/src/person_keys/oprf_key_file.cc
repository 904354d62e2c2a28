#include "person_keys/oprf_key_file.h"

#include <sys/stat.h>

#include <cstdlib>

#include "store/server_store.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/log.h"

namespace tributary::server {
namespace {

constexpr const char* kCredentialName = "oprf.key";
constexpr const char* kPublicSetting = "person_key_oprf_public";

std::filesystem::path KeyFile(const ServerPaths& paths) { return paths.dir / "oprf.key"; }

std::optional<std::filesystem::path> Credential() {
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  if (dir == nullptr || *dir == '\0') return std::nullopt;
  std::filesystem::path file = std::filesystem::path(dir) / kCredentialName;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  return file;
}

oprf::Key ReadKey(const std::filesystem::path& file) {
  std::string text = files::Read(file);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  try {
    return oprf::Key::FromHex(text);
  } catch (const Error& e) {
    throw Error::Corruption(file.string() + ": " + e.what());
  }
}

}  // namespace

void CreateOprfKey(const ServerPaths& paths) {
  std::filesystem::path file = KeyFile(paths);
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    throw Error::AlreadyExists(file.string() +
                               " already holds the OPRF key; every person key was made with it, "
                               "so it is never replaced");
  }
  files::WriteAtomic(file, oprf::Key::Generate().ToHex() + "\n");  // 0600
}

oprf::Key LoadOprfKey(const ServerPaths& paths) {
  if (auto credential = Credential()) return ReadKey(*credential);
  std::filesystem::path file = KeyFile(paths);
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    throw Error::NotFound(file.string() +
                          " is missing: the OPRF key person keys are made with "
                          "(copy it from the server's first instance, or restore "
                          "it from a backup)");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw Error::Forbidden(file.string() +
                           " may be read by others than its owner; it is the key every person "
                           "key is made with: chmod 600 it");
  }
  return ReadKey(file);
}

oprf::Key LoadOrCreateOprfKey(const ServerPaths& paths) {
  std::error_code ec;
  if (!Credential() && !std::filesystem::exists(KeyFile(paths), ec)) {
    CreateOprfKey(paths);
    log::Warning("oprf_key_created",
                 KeyFile(paths).string() +
                     ": a new OPRF key for person keys; copy it to every other instance of "
                     "this server and keep it in the backups");
  }
  return LoadOprfKey(paths);
}

void BindStoreToOprfKey(ServerStore& store, const oprf::Key& key, const ServerPaths& paths) {
  std::string mine = oprf::ToHex(key.PublicElement());
  std::string recorded = store.ClaimSetting(kPublicSetting, mine);
  if (recorded != mine) {
    throw Error::Conflict("the OPRF key of " + paths.dir.string() +
                          " is not the one this store's person keys were made with (public "
                          "element " +
                          recorded + "): copy oprf.key from the server that made them");
  }
}

}  // namespace tributary::server
