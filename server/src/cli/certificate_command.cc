// `tributary-server certificate [--json]`: the server's and the CA's
// certificates and when they end; `certificate renew [--hostname NAME ...]`:
// a new key and certificate for the server (enrol/server_certificate.h).
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "audit/audit_service.h"
#include "cli/command_store.h"
#include "cli/server_commands.h"
#include "enrol/server_certificate.h"
#include "store/server_store.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

std::int64_t Millis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string Names(const std::vector<std::string>& hostnames) {
  std::string out;
  for (const std::string& name : hostnames) out += (out.empty() ? "" : ", ") + name;
  return out;
}

boost::json::object CertificateJson(const pki::CertificateInfo& info,
                                    std::chrono::system_clock::time_point now) {
  boost::json::array names;
  for (const std::string& name : info.hostnames) names.emplace_back(name);
  return {{"subject", info.common_name},
          {"hostnames", std::move(names)},
          {"serial", info.serial_hex},
          {"sha256", info.sha256_hex},
          {"not_after", FormatUtc(Millis(info.not_after))},
          {"renewal_due", info.not_after - now <= kCertificateWarning}};
}

int Show(const Arguments& args, const ServerPaths& paths) {
  ServedCertificates served = ReadServedCertificates(paths);
  auto now = std::chrono::system_clock::now();
  std::vector<std::string> warnings = CertificateWarnings(served, now);
  if (args.Has("json")) {
    boost::json::array warning_list;
    for (const std::string& w : warnings) warning_list.emplace_back(w);
    boost::json::object server = CertificateJson(served.server, now);
    server["crl_url"] = served.server.crl_url;
    std::cout << boost::json::serialize(boost::json::object{{"server", std::move(server)},
                                                            {"ca", CertificateJson(served.ca, now)},
                                                            {"warnings", std::move(warning_list)}})
              << "\n";
    return kExitOk;
  }
  std::printf("server certificate: %s\n  until %s\n  CRL at %s\n  sha256 %s\n",
              Names(served.server.hostnames).c_str(),
              FormatUtc(Millis(served.server.not_after)).c_str(),
              served.server.crl_url.empty() ? "(none named)" : served.server.crl_url.c_str(),
              served.server.sha256_hex.c_str());
  std::printf("CA certificate: %s\n  until %s\n  sha256 %s (what practices enrol with)\n",
              served.ca.common_name.c_str(), FormatUtc(Millis(served.ca.not_after)).c_str(),
              served.ca.sha256_hex.c_str());
  for (const std::string& w : warnings) std::printf("warning: %s\n", w.c_str());
  return kExitOk;
}

int Renew(const Arguments& args, const ServerPaths& paths) {
  pki::Authority ca = LoadAuthority(paths);
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  pki::CertificateInfo renewed = RenewServerCertificate(paths, ca, args.GetAll("hostname"));
  AuditService(store).Record(
      "operator", "server_certificate_renew", Names(renewed.hostnames),
      "certificate " + renewed.serial_hex + " until " + FormatUtc(Millis(renewed.not_after)));
  std::printf(
      "renewed the server certificate for %s until %s\n"
      "restart the server to present it (systemctl restart tributary-server); agents trust the "
      "CA, so they need nothing\n",
      Names(renewed.hostnames).c_str(), FormatUtc(Millis(renewed.not_after)).c_str());
  return kExitOk;
}

}  // namespace

int RunCertificate(const Arguments& args) {
  std::string action = args.Positional(1);
  ServerPaths paths = PathsFrom(args);
  if (action.empty()) {
    args.AllowOnly({"config", "data-dir", "json"});
    return Show(args, paths);
  }
  if (action == "renew") {
    args.AllowOnly({"config", "data-dir", "hostname"});
    return Renew(args, paths);
  }
  throw Error::InvalidArgument("unknown 'certificate " + action +
                               "'; see 'tributary-server certificate --help'");
}

}  // namespace tributary::server
