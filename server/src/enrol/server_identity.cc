#include "enrol/server_identity.h"

#include <sys/stat.h>

#include "store/server_store.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

namespace tributary::server {
namespace {

constexpr std::chrono::seconds kCaValidity{std::chrono::hours(24 * 365 * 10)};
constexpr std::chrono::seconds kServerCertificateValidity{std::chrono::hours(24 * 825)};
constexpr auto kPublic = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                         std::filesystem::perms::group_read | std::filesystem::perms::others_read;

}  // namespace

void InitialiseDataDir(const ServerPaths& paths, const std::vector<std::string>& hostnames) {
  if (hostnames.empty()) throw Error::InvalidArgument("--hostname is required (repeat for more)");
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
  std::string server_key = pki::GeneratePrivateKeyPem();
  std::string server_cert =
      pki::IssueServerCertificate(ca, server_key, hostnames, kServerCertificateValidity);
  files::WriteAtomic(paths.CaKey(), ca.key_pem);
  files::WriteAtomic(paths.CaCertificate(), ca.certificate_pem, kPublic);
  files::WriteAtomic(paths.Key(), server_key);
  files::WriteAtomic(paths.Certificate(), server_cert, kPublic);

  SystemClock clock;
  ServerStore store(paths.Database(), clock);
  if (!store.GetSetting("person_key_secret")) {
    store.SetSetting("person_key_secret", digest::RandomHex(32));
  }
}

pki::Authority LoadAuthority(const ServerPaths& paths) {
  if (!std::filesystem::exists(paths.CaKey())) {
    throw Error::NotFound(paths.dir.string() +
                          " is not initialised: run 'tributary-server init --data-dir " +
                          paths.dir.string() + " --hostname NAME' first");
  }
  return pki::Authority{files::Read(paths.CaCertificate()), files::Read(paths.CaKey())};
}

}  // namespace tributary::server
