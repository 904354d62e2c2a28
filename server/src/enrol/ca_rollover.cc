#include "enrol/ca_rollover.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "enrol/server_certificate.h"
#include "store/server_store.h"
#include "store/settings.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/platform_file.h"

namespace tributary::server {
namespace fs = std::filesystem;
namespace {

// As init makes the first: ten years.
constexpr std::chrono::seconds kCaValidity{std::chrono::hours(24 * 365 * 10)};
constexpr auto kPublic =
    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;

std::optional<pki::CertificateInfo> ReadIfThere(const fs::path& path) {
  if (!fs::exists(path)) return std::nullopt;
  return pki::ReadCertificate(files::Read(path));
}

}  // namespace

CaState ReadCaState(const ServerPaths& paths) {
  RequireInitialised(paths);
  return CaState{pki::ReadCertificate(files::Read(paths.CaCertificate())),
                 ReadIfThere(paths.NextCaCertificate()),
                 ReadIfThere(paths.PreviousCaCertificate())};
}

namespace {

// The CA's certificate and those of `others` that exist and have not ended.
std::string Bundle(const ServerPaths& paths, const std::vector<fs::path>& others) {
  std::string bundle = files::Read(paths.CaCertificate());
  auto now = std::chrono::system_clock::now();
  for (const fs::path& other : others) {
    std::optional<pki::CertificateInfo> info = ReadIfThere(other);
    if (!info || info->not_after <= now) continue;
    if (!bundle.empty() && bundle.back() != '\n') bundle += '\n';
    bundle += files::Read(other);
  }
  return bundle;
}

void SyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    int saved = errno;
    if (fd >= 0) ::close(fd);
    throw Error::Io("cannot sync " + dir.string() + ": " + std::strerror(saved));
  }
  ::close(fd);
}

}  // namespace

std::string AgentTrustBundle(const ServerPaths& paths) {
  return Bundle(paths, {paths.NextCaCertificate()});
}

std::string ClientCaBundle(const ServerPaths& paths) {
  return Bundle(paths, {paths.NextCaCertificate(), paths.PreviousCaCertificate()});
}

std::vector<AgentStatus> AgentsNotTrusting(const std::vector<AgentStatus>& agents,
                                           const std::string& sha256) {
  std::vector<AgentStatus> out;
  for (const AgentStatus& a : agents) {
    if (a.revoked) continue;
    const auto& trusted = a.trusted_ca_sha256;
    if (std::find(trusted.begin(), trusted.end(), sha256) == trusted.end()) out.push_back(a);
  }
  return out;
}

pki::CertificateInfo StartCaRollover(const ServerPaths& paths) {
  LoadAuthority(paths);
  if (!fs::exists(paths.NextCaCertificate()) && fs::exists(paths.NextCaKey())) {
    // A start that stopped between the key and its certificate: no agent
    // has heard of that CA, so it is made again.
    std::error_code ec;
    fs::remove(paths.NextCaKey(), ec);
    if (ec) throw Error::Io("cannot remove " + paths.NextCaKey().string() + ": " + ec.message());
  }
  if (fs::exists(paths.NextCaCertificate())) {
    throw Error::AlreadyExists("a CA rollover is under way already (" +
                               paths.NextCaCertificate().string() +
                               "): finish it with 'tributary-server ca rollover finish'");
  }
  pki::Authority next = pki::CreateAuthority("Tributary internal CA", kCaValidity);
  // The key first: a certificate never names a CA whose key is lost.
  files::WriteAtomic(paths.NextCaKey(), next.key_pem);
  files::WriteAtomic(paths.NextCaCertificate(), next.certificate_pem, kPublic);
  return pki::ReadCertificate(next.certificate_pem);
}

pki::CertificateInfo FinishCaRollover(const ServerPaths& paths, ServerStore& store) {
  RequireInitialised(paths);  // (ca.key may already be the next CA's: a resumed finish)
  std::optional<pki::CertificateInfo> next = ReadIfThere(paths.NextCaCertificate());
  pki::CertificateInfo current = pki::ReadCertificate(files::Read(paths.CaCertificate()));
  if (next) {
    // The next CA's key: still beside it, or (a finish that stopped after
    // moving it) already ca.key. Anything else would pair the new
    // certificate with a key that is not its own.
    std::string next_pem = files::Read(paths.NextCaCertificate());
    bool key_moved = pki::KeyMatchesCertificate(next_pem, files::Read(paths.CaKey()));
    if (!key_moved && (!fs::exists(paths.NextCaKey()) ||
                       !pki::KeyMatchesCertificate(next_pem, files::Read(paths.NextCaKey())))) {
      throw Error::NotFound(paths.NextCaKey().string() +
                            " is missing or not the next CA's key: copy it from the instance "
                            "where 'ca rollover start' ran");
    }
    // 1. The CA that is ending, kept to take its agents' certificates.
    if (next->sha256_hex != current.sha256_hex) {
      files::WriteAtomic(paths.PreviousCaCertificate(), files::Read(paths.CaCertificate()),
                         kPublic);
    }
    pki::CertificateInfo previous =
        pki::ReadCertificate(files::Read(paths.PreviousCaCertificate()));
    // 2. The store, bound to the next CA (audited).
    Settings(store).ReplaceCa(previous.sha256_hex, next->sha256_hex);
    // 3. The next CA in place, key first (the old key is gone with it).
    if (!key_moved) {
      platform::RenameOver(paths.NextCaKey(), paths.CaKey());
      SyncDirectory(paths.dir);
    }
    platform::RenameOver(paths.NextCaCertificate(), paths.CaCertificate());
    SyncDirectory(paths.dir);
  } else if (!fs::exists(paths.PreviousCaCertificate()) ||
             Settings(store).Get("ca_sha256").value_or("") != current.sha256_hex ||
             pki::SignedBy(files::Read(paths.Certificate()), files::Read(paths.CaCertificate()))) {
    // (After a finish that stopped before step 4, the server's certificate
    // is still the old CA's: that step is what is left.)
    throw Error::NotFound(
        "no CA rollover is under way: start one with "
        "'tributary-server ca rollover start'");
  }
  // 4. The server's certificate from the new CA (again, if a crash came
  //    after it: harmless).
  RenewServerCertificate(paths, LoadAuthority(paths), {});
  return pki::ReadCertificate(files::Read(paths.CaCertificate()));
}

}  // namespace tributary::server
