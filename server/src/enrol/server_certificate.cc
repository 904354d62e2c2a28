#include "enrol/server_certificate.h"

#include <filesystem>

#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/key_pair_files.h"

namespace tributary::server {
namespace {

constexpr auto kPublic = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                         std::filesystem::perms::group_read | std::filesystem::perms::others_read;

pki::CertificateInfo ReadIn(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) {
    throw Error::NotFound(path.string() + " does not exist: run 'tributary-server init' first");
  }
  try {
    return pki::ReadCertificate(files::Read(path));
  } catch (const Error& e) {
    throw Error::InvalidInput(path.string() + ": not a certificate (" + e.what() + ")");
  }
}

// The port of a CRL URL https://HOST:PORT/v1/crl; 8443 when it names none.
std::uint16_t PortOf(const std::string& crl_url) {
  auto host_end = crl_url.find('/', std::string("https://").size());
  auto colon = crl_url.rfind(':', host_end);
  if (host_end == std::string::npos || colon == std::string::npos || colon < 6) return 8443;
  std::string port = crl_url.substr(colon + 1, host_end - colon - 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    return 8443;
  int value = std::stoi(port);
  return value > 0 && value <= 65535 ? static_cast<std::uint16_t>(value) : 8443;
}

std::int64_t Millis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

ServedCertificates ReadServedCertificates(const ServerPaths& paths) {
  return ServedCertificates{ReadIn(paths.Certificate()), ReadIn(paths.CaCertificate())};
}

std::vector<std::string> CertificateWarnings(const ServedCertificates& served,
                                             std::chrono::system_clock::time_point now) {
  std::vector<std::string> warnings;
  auto days_left = [now](std::chrono::system_clock::time_point end) {
    return std::chrono::duration_cast<std::chrono::hours>(end - now).count() / 24;
  };
  if (served.server.not_after - now <= kCertificateWarning) {
    warnings.push_back((served.server.not_after <= now ? "the server certificate ended on "
                                                       : "the server certificate ends on ") +
                       FormatUtc(Millis(served.server.not_after)) + " (" +
                       std::to_string(days_left(served.server.not_after)) +
                       " days): run 'tributary-server certificate renew', then restart the server");
  }
  if (served.ca.not_after - now <= kCertificateWarning) {
    warnings.push_back((served.ca.not_after <= now ? "the CA certificate ended on "
                                                   : "the CA certificate ends on ") +
                       FormatUtc(Millis(served.ca.not_after)) + " (" +
                       std::to_string(days_left(served.ca.not_after)) +
                       " days): run 'tributary-server ca rollover start' to move every agent "
                       "to a new CA (docs/operations.md, \"CA rollover\")");
  }
  return warnings;
}

pki::CertificateInfo RenewServerCertificate(const ServerPaths& paths, const pki::Authority& ca,
                                            std::vector<std::string> hostnames) {
  FinishServerCertificateRenewal(paths);
  pki::CertificateInfo current = ReadIn(paths.Certificate());
  std::string crl_url = current.crl_url;
  if (hostnames.empty()) {
    hostnames = current.hostnames;
  } else if (!crl_url.empty()) {
    crl_url = CrlUrl(hostnames, PortOf(crl_url));
  }
  if (hostnames.empty()) {
    throw Error::InvalidInput(paths.Certificate().string() +
                              " names no host; give --hostname NAME (repeat for more)");
  }
  std::string key = pki::GeneratePrivateKeyPem();
  std::string certificate =
      pki::IssueServerCertificate(ca, key, hostnames, kServerCertificateValidity, crl_url);
  files::ReplaceKeyPair(paths.Key(), key, paths.Certificate(), certificate, kPublic);
  return pki::ReadCertificate(certificate);
}

void FinishServerCertificateRenewal(const ServerPaths& paths) {
  files::FinishKeyPair(paths.Key(), paths.Certificate());
}

}  // namespace tributary::server
