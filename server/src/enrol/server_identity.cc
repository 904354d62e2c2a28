#include "enrol/server_identity.h"

#include <sys/stat.h>

#include "enrol/server_certificate.h"
#include "keys/server_keys.h"
#include "person_keys/oprf_key_file.h"
#include "store/server_store.h"
#include "store/settings.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

namespace tributary::server {
namespace {

constexpr std::chrono::seconds kCaValidity{std::chrono::hours(24 * 365 * 10)};
constexpr auto kPublic = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                         std::filesystem::perms::group_read | std::filesystem::perms::others_read;

}  // namespace

std::string CrlUrl(const std::vector<std::string>& hostnames, std::uint16_t port) {
  const std::string& host = hostnames.front();
  bool ipv6 = host.find(':') != std::string::npos;
  return "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/v1/crl";
}

void InitialiseDataDir(const ServerPaths& paths, const std::vector<std::string>& hostnames,
                       const std::optional<std::string>& store, std::uint16_t port) {
  if (hostnames.empty()) throw Error::InvalidArgument("--hostname is required (repeat for more)");
  std::optional<db::StoreLocation> chosen;
  if (store) {
    chosen = db::StoreLocation::Parse(*store);
    if (chosen->engine() != db::Engine::kPostgres) {
      throw Error::InvalidArgument(
          "--store takes a postgresql:// URL (the SQLite store is "
          "always DATA_DIR/server.db, the default)");
    }
    if (std::filesystem::exists(paths.SqliteFile())) {
      throw Error::AlreadyExists(paths.SqliteFile().string() +
                                 " holds an SQLite store: init --store makes a new directory");
    }
  }
  if (std::filesystem::exists(paths.CaKey())) {
    throw Error::AlreadyExists(paths.dir.string() +
                               " is already initialised (it holds a CA); enrolled agents trust "
                               "it, so it is never replaced");
  }
  std::error_code ec;
  std::filesystem::create_directories(paths.dir, ec);
  if (ec) throw Error::Io("cannot create " + paths.dir.string() + ": " + ec.message());
  ::chmod(paths.dir.c_str(), 0700);

  pki::Authority ca = pki::CreateAuthority("Tributary internal CA", kCaValidity);
  std::string fingerprint = pki::ReadCertificate(ca.certificate_pem).sha256_hex;
  db::StoreLocation where = chosen ? *chosen : paths.Store();
  SystemClock clock;
  ServerStore server_store(where, clock);
  std::optional<std::string> owner = Settings(server_store).Get("ca_sha256");
  if (owner && *owner != fingerprint) {
    throw Error::AlreadyExists("the store " + where.ToString() +
                               " belongs to another server (CA sha256 " + *owner +
                               "); for another instance of it, copy that server's data "
                               "directory instead of running init");
  }

  std::string server_key = pki::GeneratePrivateKeyPem();
  std::string server_cert = pki::IssueServerCertificate(
      ca, server_key, hostnames, kServerCertificateValidity, CrlUrl(hostnames, port));
  if (chosen) {
    files::WriteAtomic(paths.StoreUrlFile(), chosen->conninfo());  // 0600: it may hold a password
  }
  files::WriteAtomic(paths.Key(), server_key);
  files::WriteAtomic(paths.Certificate(), server_cert, kPublic);
  files::WriteAtomic(paths.CaCertificate(), ca.certificate_pem, kPublic);
  CreateOprfKey(paths);
  CreateServerKeys(paths);
  // The key before the claim: a store is never owned by a CA whose key is
  // lost. Should init stop between the two, `serve` claims it (ClaimStore).
  files::WriteAtomic(paths.CaKey(), ca.key_pem);
  std::string claimed = Settings(server_store).ClaimCa(fingerprint);
  if (claimed != fingerprint) {  // another init claimed it a moment ago
    for (const auto& file : {paths.CaKey(), paths.CaCertificate(), paths.Key(), paths.Certificate(),
                             paths.StoreUrlFile(), paths.dir / "oprf.key",
                             paths.dir / "signing.key", paths.dir / "audit.key"}) {
      std::filesystem::remove(file, ec);
    }
    throw Error::AlreadyExists("the store " + where.ToString() +
                               " belongs to another server (CA sha256 " + claimed + ")");
  }
}

void ClaimStore(ServerStore& store, const ServerPaths& paths) {
  std::string fingerprint = pki::ReadCertificate(files::Read(paths.CaCertificate())).sha256_hex;
  std::string owner = Settings(store).ClaimCa(fingerprint);
  if (owner != fingerprint) {
    throw Error::Conflict("the store " + paths.Store().ToString() +
                          " belongs to another server (CA sha256 " + owner + "), not to " +
                          paths.dir.string() + "'s CA (" + fingerprint +
                          "): its agents would not be this server's");
  }
}

void RequireInitialised(const ServerPaths& paths) {
  if (!std::filesystem::exists(paths.CaKey())) {
    throw Error::NotFound(paths.dir.string() +
                          " is not initialised: run 'tributary-server init --data-dir " +
                          paths.dir.string() + " --hostname NAME' first");
  }
}

pki::Authority LoadAuthority(const ServerPaths& paths) {
  RequireInitialised(paths);
  return pki::Authority{files::Read(paths.CaCertificate()), files::Read(paths.CaKey())};
}

}  // namespace tributary::server
