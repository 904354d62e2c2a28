#include "keys/server_keys.h"

#include "keys/secret_file.h"
#include "store/server_store.h"
#include "store/settings.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

constexpr const char* kSigning = "signing.key";
constexpr const char* kAudit = "audit.key";

signing::SigningKey ParseSigning(const ServerPaths& paths, const std::string& text) {
  return ParseSecret(paths, kSigning, text,
                     [](const std::string& t) { return signing::SigningKey::FromSeedHex(t); });
}

std::string CheckedAudit(const ServerPaths& paths, const std::string& text) {
  return ParseSecret(paths, kAudit, text, [](const std::string& t) {
    if (t.size() != 64 || t.find_first_not_of("0123456789abcdef") != std::string::npos) {
      throw Error::InvalidInput("not 64 hex characters");
    }
    return t;
  });
}

const char* kMissing =
    "copy it from the server's first instance, or restore it from a backup "
    "(docs/operations.md, \"The server's keys\")";

}  // namespace

void CreateServerKeys(const ServerPaths& paths) {
  WriteNewSecret(paths, kSigning, signing::SigningKey::Generate().SeedHex());
  WriteNewSecret(paths, kAudit, digest::RandomHex(32));
}

signing::SigningKey LoadOrCreateSigningKey(const ServerPaths& paths) {
  return ParseSigning(paths, ReadOrCreateSecret(paths, kSigning, [] {
                        return signing::SigningKey::Generate().SeedHex();
                      }));
}

std::string LoadOrCreateAuditKey(const ServerPaths& paths) {
  return CheckedAudit(paths,
                      ReadOrCreateSecret(paths, kAudit, [] { return digest::RandomHex(32); }));
}

signing::SigningKey LoadSigningKey(const ServerPaths& paths) {
  return ParseSigning(paths, ReadSecret(paths, kSigning, kMissing));
}

std::string LoadAuditKey(const ServerPaths& paths) {
  return CheckedAudit(paths, ReadSecret(paths, kAudit, kMissing));
}

void BindStoreToSigningKey(ServerStore& store, const signing::SigningKey& key,
                           const ServerPaths& paths) {
  std::string mine = key.PublicKeyHex();
  std::string recorded = Settings(store).Claim("signing_public_key", mine);
  if (recorded != mine) {
    throw Error::Conflict("the signing key of " + paths.dir.string() +
                          " is not the one this store's receipts and checkpoints were signed "
                          "with (public key " +
                          recorded + "): copy signing.key from the server that signed them");
  }
}

}  // namespace tributary::server
