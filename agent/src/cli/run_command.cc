// `tributary-agent run`: the daemon (daemon/agent_daemon.h) with the real
// clock, drop folder, network and service manager.
#include <limits>
#include <random>

#include "cli/agent_commands.h"
#include "daemon/agent_daemon.h"
#include "platform/default_paths.h"
#include "platform/service_host.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/log.h"

namespace tributary::agent {
namespace {

DaemonOptions OptionsFrom(const AgentConfig& config) {
  using std::chrono::seconds;
  DaemonOptions options;
  options.sync.interval = seconds(config.sync_interval_seconds);
  options.sync.debounce = seconds(config.sync_debounce_seconds);
  options.sync.max_delay = seconds(config.sync_max_delay_seconds);
  options.sync.backoff_cap = seconds(config.backoff_max_seconds);
  options.settle = seconds(config.file_settle_seconds);
  options.seed = std::random_device{}();
  return options;
}

std::filesystem::path DropFolderOf(const AgentConfig& config) {
  return config.drop_folder.empty() ? DefaultDropFolder(config.data_dir) : config.drop_folder;
}

}  // namespace

int RunDaemon(const Arguments& args, AgentContext& context, DaemonHost& host) {
  args.AllowOnly({"config", "data-dir", "service"});
  log::UseJsonUnlessTerminal();
  if (host.log_to_files) log::UseRotatedFile(context.paths().dir / "logs" / "agent.log");
  LocalStore& store = context.store();
  AgentConfig config = context.config();
  log::SetMinimumLevel(*log::ParseLevel(config.log_level));  // checked when read

  DropFolder drop(DropFolderOf(config), std::chrono::seconds(config.file_settle_seconds));
  drop.CreateLayout();
  std::unique_ptr<WakeSource> wake_source =
      MakeWakeSource(drop.dir(), context.paths().dir, context.clock());
  WakeSource& wake = *wake_source;
  ServiceNotifier& notifier = host.notifier;
  if (!store.GetState("practice")) {
    // Installed before enrolment: wait, asleep, until `enrol` says it is done.
    notifier.Ready();
    notifier.Status("not enrolled: run 'tributary-agent enrol'");
    log::Warning("waiting_for_enrolment",
                 "run 'tributary-agent enrol --server URL --token TOKEN "
                 "--ca-sha256 HEX'");
    while (!store.GetState("practice")) {
      // Asleep but for the watchdog: the service manager must still hear it is alive.
      std::int64_t until = std::numeric_limits<std::int64_t>::max();
      if (auto every = notifier.KeepAliveEvery()) {
        notifier.KeepAlive();
        until = context.clock().NowMillis() + every->count();
      }
      Wake woken = wake.WaitUntil(until);
      if (woken.stop) {
        notifier.Stopping();
        return kExitOk;
      }
    }
    log::Info("enrolled", "practice=" + *store.GetState("practice"));
  }
  std::string practice = context.RequirePractice();

  DaemonServices services;
  services.sync = [&] {
    return SyncOnce(store, context.paths(), SyncTargetFor(store, config), context.clock());
  };
  services.reload = [&] {
    AgentConfig fresh = context.ReloadConfig();
    if (DropFolderOf(fresh) != drop.dir()) {
      log::Warning("reload_partial", "drop_folder changes take effect at the next restart");
    }
    config = fresh;
    return OptionsFrom(config);
  };
  services.import_settings = [&] {
    ImportSettings settings;
    settings.practice = practice;
    settings.person_keys = &context.PersonKeys();
    settings.profiles = &context.Profiles();
    settings.disk_budget_bytes = static_cast<std::uint64_t>(config.disk_budget_mb) << 20;
    settings.max_file_bytes = static_cast<std::uint64_t>(config.max_file_mb) << 20;
    return settings;
  };
  AgentDaemon daemon(store, drop, wake, notifier, context.clock(), std::move(services),
                     OptionsFrom(config));
  daemon.Run();
  return kExitOk;
}

}  // namespace tributary::agent
