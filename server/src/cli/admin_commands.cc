// The operator's commands that work on the data directory alone: init,
// token create, practices.
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "cli/command_store.h"
#include "cli/server_commands.h"
#include "enrol/enrolment_service.h"
#include "keys/server_keys.h"
#include "reconcile/record_readings.h"
#include "report/practice_report.h"
#include "store/server_store.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/error.h"
#include "tributary/common/pki.h"
#include "tributary/common/run_as_owner.h"
#include "tributary/common/terminal_progress.h"

namespace tributary::server {

ServerConfig ConfigFrom(const Arguments& args) {
  auto path = args.Get("config");
  ServerConfig config =
      ServerConfig::Load(path.value_or(kDefaultServerConfigPath), path.has_value());
  if (auto dir = args.Get("data-dir")) config.data_dir = *dir;
  return config;
}

ServerStore::MigrationProgress MigrationProgressOnTerminal() {
  auto progress = std::make_shared<TerminalProgress>();
  return [progress](const std::string& stage) { progress->Show(stage); };
}

ServerPaths PathsFrom(const Arguments& args) {
  ServerConfig config = ConfigFrom(args);
  ServerPaths paths{config.data_dir, config.store};
  RunAsOwnerOf(paths.dir);
  return paths;
}

std::uint16_t ListenPort(const std::string& listen) {
  auto colon = listen.rfind(':');
  std::string port = colon == std::string::npos ? "" : listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    throw Error::InvalidArgument("listen '" + listen + "' is not ADDRESS:PORT");
  }
  return static_cast<std::uint16_t>(std::stoi(port));
}

void UseServerKeys(ServerStore& store, const ServerPaths& paths) {
  store.UseAuditKey(LoadOrCreateAuditKey(paths));
}

int RunInit(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "hostname", "store"});
  ServerPaths paths = PathsFrom(args);
  InitialiseDataDir(paths, args.GetAll("hostname"), args.Get("store"),
                    ListenPort(ConfigFrom(args).listen));
  pki::CertificateInfo ca = pki::ReadCertificate(LoadAuthority(paths).certificate_pem);
  std::printf("initialised %s\nstore: %s\nCA fingerprint (sha256): %s\n", paths.dir.c_str(),
              paths.Store().ToString().c_str(), ca.sha256_hex.c_str());
  return kExitOk;
}

int RunToken(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "practice", "ttl", "json"});
  if (args.Positional(1) != "create") {
    throw Error::InvalidArgument("usage: tributary-server token create --practice CODE [--ttl 7d]");
  }
  ServerPaths paths = PathsFrom(args);
  pki::Authority ca = LoadAuthority(paths);
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  const Clock& clock = opened.clock();
  EnrolmentService enrolment(store, ca, clock);
  NewToken token =
      enrolment.CreateToken(args.Require("practice"), ParseTtl(args.Get("ttl").value_or("7d")));
  std::string fingerprint = pki::ReadCertificate(ca.certificate_pem).sha256_hex;
  if (args.Has("json")) {
    boost::json::object o{{"token", token.token},
                          {"ca_sha256", fingerprint},
                          {"practice", token.practice},
                          {"expires", token.expires}};
    std::cout << boost::json::serialize(o) << "\n";
  } else {
    std::printf("token:      %s\npractice:   %s\nexpires:    %s\nca-sha256:  %s\n",
                token.token.c_str(), token.practice.c_str(), token.expires.c_str(),
                fingerprint.c_str());
    std::printf(
        "\nAt the practice: tributary-agent enrol --server https://HOST:PORT "
        "--token %s --ca-sha256 %s\n",
        token.token.c_str(), fingerprint.c_str());
  }
  return kExitOk;
}

int RunPractices(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "json"});
  ServerPaths paths = PathsFrom(args);
  LoadAuthority(paths);  // a clear "run init first" instead of an empty store
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  auto summaries = RecordReadings(store).Summaries();
  std::fputs(
      args.Has("json") ? PracticesJson(summaries).c_str() : PracticesTable(summaries).c_str(),
      stdout);
  return kExitOk;
}

}  // namespace tributary::server
