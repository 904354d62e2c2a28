#include "person_keys/oprf_key_file.h"

#include "keys/secret_file.h"
#include "store/server_store.h"
#include "store/settings.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

constexpr const char* kName = "oprf.key";
constexpr const char* kPublicSetting = "person_key_oprf_public";

oprf::Key Parse(const ServerPaths& paths, const std::string& text) {
  return ParseSecret(paths, kName, text,
                     [](const std::string& t) { return oprf::Key::FromHex(t); });
}

}  // namespace

void CreateOprfKey(const ServerPaths& paths) {
  WriteNewSecret(paths, kName, oprf::Key::Generate().ToHex());
}

oprf::Key LoadOprfKey(const ServerPaths& paths) {
  return Parse(paths, ReadSecret(paths, kName,
                                 "the OPRF key person keys are made with (copy it from the "
                                 "server's first instance, or restore it from a backup)"));
}

oprf::Key LoadOrCreateOprfKey(const ServerPaths& paths) {
  return Parse(paths,
               ReadOrCreateSecret(paths, kName, [] { return oprf::Key::Generate().ToHex(); }));
}

void BindStoreToOprfKey(ServerStore& store, const oprf::Key& key, const ServerPaths& paths) {
  std::string mine = oprf::ToHex(key.PublicElement());
  std::string recorded = Settings(store).Claim(kPublicSetting, mine);
  if (recorded != mine) {
    throw Error::Conflict("the OPRF key of " + paths.dir.string() +
                          " is not the one this store's person keys were made with (public "
                          "element " +
                          recorded + "): copy oprf.key from the server that made them");
  }
}

}  // namespace tributary::server
