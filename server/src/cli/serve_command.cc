// `tributary-server serve`: the HTTPS service, until SIGTERM or SIGINT.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "audit/audit_service.h"
#include "cli/command_store.h"
#include "cli/server_commands.h"
#include "enrol/ca_rollover.h"
#include "enrol/enrolment_service.h"
#include "enrol/server_certificate.h"
#include "http/https_server.h"
#include "http/router.h"
#include "ingest/push_ingest.h"
#include "keys/server_keys.h"
#include "person_keys/oprf_key_file.h"
#include "reporting/reporting_refresher.h"
#include "schedule/periodic_task.h"
#include "schedule/service_watchdog.h"
#include "store/server_store.h"
#include "store/settings.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/log.h"
#include "tributary/common/run_as_owner.h"
#include "tributary/common/systemd_notifier.h"
#include "validation/findings_publisher.h"

namespace tributary::server {
namespace {

// How much longer than the start timeout opening the store may take.
constexpr std::chrono::seconds kMigrationAllowance{3600};

void ParseListen(const std::string& text, HttpsServerOptions& options) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw Error::InvalidArgument("--listen must be ADDRESS:PORT, e.g. 127.0.0.1:8443");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    throw Error::InvalidArgument("--listen port '" + port + "' is not a port number");
  }
  options.listen_address = host;
  options.port = static_cast<std::uint16_t>(std::stoi(port));
}

// How often cross-practice findings are published to practices.
std::chrono::seconds FindingsEvery(const Arguments& args, const ServerConfig& config) {
  std::string text =
      args.Get("findings-every").value_or(std::to_string(config.findings_every_seconds));
  if (text.empty() || text.size() > 6 ||
      text.find_first_not_of("0123456789") != std::string::npos || std::stoi(text) == 0) {
    throw Error::InvalidArgument("--findings-every must be a number of seconds, 1 or more");
  }
  return std::chrono::seconds(std::stoi(text));
}

}  // namespace

int RunServe(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "listen", "findings-every"});
  log::UseJsonUnlessTerminal();
  ServerConfig config = ConfigFrom(args);
  log::SetMinimumLevel(*log::ParseLevel(config.log_level));  // checked when read
  ServerPaths paths{config.data_dir, config.store};
  RunAsOwnerOf(paths.dir);
  pki::Authority ca = LoadAuthority(paths);
  web::WebAssets assets = web::WebAssets::Load(config.web_assets_dir);
  HttpsServerOptions options;
  ParseListen(args.Get("listen").value_or(config.listen), options);
  FinishServerCertificateRenewal(paths);
  ServedCertificates served = ReadServedCertificates(paths);
  options.certificate_pem = files::Read(paths.Certificate());
  options.key_pem = files::Read(paths.Key());
  // Agents' certificates from the CA, and during and after a CA rollover
  // from the next or the previous one too (enrol/ca_rollover.h).
  options.client_ca_pem = ClientCaBundle(paths);
  std::chrono::seconds findings_every = FindingsEvery(args, config);
  options.limits.max_pending_requests = static_cast<std::size_t>(config.max_pending_requests);
  options.limits.busy_retry_after = std::chrono::seconds(config.busy_retry_after_seconds);
  options.limits.max_connections_per_source =
      static_cast<std::size_t>(config.max_connections_per_source);

  // Signals are taken by one thread with sigwait, so no handler runs on an
  // arbitrary thread. Blocked before any thread starts: every thread
  // inherits the mask, and a thread started earlier would take SIGTERM's
  // default action and kill the process mid-request.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Opening the store migrates it; a migration can index every record of a
  // nation (minutes), longer than the service manager's start timeout.
  SystemdNotifier notifier;
  notifier.Status("opening the store");
  notifier.ExtendStartup(kMigrationAllowance);
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  const Clock& clock = opened.clock();
  ClaimStore(store, paths);
  signing::SigningKey signing_key = LoadOrCreateSigningKey(paths);
  BindStoreToSigningKey(store, signing_key, paths);
  ReceiptSigner receipts(signing_key, clock);
  EnrolmentService enrolment(store, ca, clock, signing_key.PublicKeyHex());
  enrolment.TrustAgentsBy(AgentTrustBundle(paths));
  PushIngest ingest(store, &receipts);
  oprf::Key oprf_key = LoadOrCreateOprfKey(paths);
  BindStoreToOprfKey(store, oprf_key, paths);
  PersonKeyService person_keys(store, std::move(oprf_key), config.person_keys_per_day);
  FindingsPublisher findings(store);
  PeriodicTask publishing("findings_publish", findings_every, [&findings] { findings.Publish(); });
  ReportingRefresher reporting(store);
  // A signed checkpoint of the audit log every hour (audit/audit_checkpoints.h).
  PeriodicTask checkpointing("audit_checkpoint", std::chrono::hours(1), [&store, &signing_key] {
    AuditService(store).Checkpoint(signing_key);
  });
  PeriodicTask refreshing("reporting_refresh", findings_every,
                          [&reporting] { reporting.Refresh(); });
  Router router(store, enrolment, ingest, person_keys, findings, assets);
  router.PresentCertificates(served.server.not_after, served.ca.not_after);
  // From 60 days before the server's or the CA's certificate ends, a warning
  // at start and every day (also in `agents` and on /metrics).
  PeriodicTask certificate_check("certificate_check", std::chrono::hours(24), [&served] {
    for (const std::string& w : CertificateWarnings(served, std::chrono::system_clock::now()))
      log::Warning("certificate_expiring", w);
  });
  for (const std::string& w : CertificateWarnings(served, std::chrono::system_clock::now()))
    log::Warning("certificate_expiring", w);

  HttpsServer server(
      options, [&router](const HttpRequest& r) { return router.Handle(r); },
      [&router](const HttpRequest& r) { return router.AnswerQuickly(r); });
  std::uint16_t port = server.Start();
  std::printf("listening on %s:%u\n", options.listen_address.c_str(), port);
  std::fflush(stdout);
  log::Info("server_started",
            "address=" + options.listen_address + " port=" + std::to_string(port));
  notifier.Ready();
  ServiceWatchdog watchdog(notifier, [&store] {
    Settings(store).Get("schema_version");  // throws if the store cannot answer
    return true;
  });

  std::thread signal_thread([&server, &signals] {
    int received = 0;
    // A stray SIGHUP must not stop the service; the server's settings are
    // read at start, so it says how to apply them.
    while (sigwait(&signals, &received) == 0 && received == SIGHUP) {
      log::Warning("reload_unsupported",
                   "the server reads its configuration and certificate at start: restart it "
                   "to apply changes or present a renewed certificate");
    }
    if (received != SIGUSR1) {
      log::Info("server_stopping", std::string("signal=") + strsignal(received));
      server.Stop();
    }
  });
  server.Run();
  notifier.Stopping();
  // Wake the signal thread if Run() ended for another reason.
  pthread_kill(signal_thread.native_handle(), SIGUSR1);
  signal_thread.join();
  log::Info("server_stopped");
  return kExitOk;
}

}  // namespace tributary::server
