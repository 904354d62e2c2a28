#include "cli/agent_cli.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "cli/agent_commands.h"
#include "platform/default_paths.h"
#include "platform/wake_source.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/cli_help.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

namespace tributary::agent {
namespace {

constexpr const char* kUsage = R"(tributary-agent — collects a GP practice's workforce and activity
data offline and syncs it to the ICS's Tributary server.

Usage: tributary-agent COMMAND [OPTIONS]    (tributary-agent COMMAND --help: that command only)

Commands:
  enrol --server URL --token TOKEN --ca-sha256 HEX
        Enrol this agent for the practice the token was issued for. Generates
        the agent's key (it never leaves this machine), checks the server's CA
        against HEX and stores the issued certificate.
  import FILE [--dataset workforce|appointments|list_size] [--profile NAME]
        [--json]
        Import a CSV export: Tributary's own shapes (docs/data.md), or a
        clinical system's report through the import profile its header fits
        ('profile list'; --profile chooses one). Every row is validated; on any
        problem nothing from the file is stored and each is reported as
        FILE:LINE: COLUMN: reason. Works offline: people new to the practice
        wait for their person keys, made by the next sync. Re-importing a file
        is a no-op; a corrected file replaces the months it holds (for
        appointments and list sizes, only its first to last date). A report
        of one row per appointment is counted into daily rows; no
        patient-level value is kept.
  profile list [--json] | profile show NAME
        The import profiles: the presets and the ICS's own (profiles_dir,
        by default profiles/ beside the configuration file).
  profile test FILE [--profile NAME] [--practice CODE]
        How FILE would import, storing nothing: the profile that reads it, its
        first records as they map, every column not read and every value not
        mapped as FILE:LINE with the nearest code. Exits 3 if it would not
        import.
  sync [--server URL] [--proxy URL] [--json]
        Have the server make the person keys of people new to the practice,
        push every pending change, then hear what it has to say. Exits 0 only
        when the server has acknowledged and applied everything; 6 when it
        took every change but did not apply some (listed with the reason).
  submit --period YYYY-MM [--dataset workforce|appointments|list_size]
        Tell the PCN that the month's return is complete (default: every
        dataset with records for the month). Queued behind the data it
        covers; sent by the next sync. Submit again after answering a query.
  run [--service]
        The background service (systemd: tributary-agent.service; Windows:
        the service TributaryAgent, whose command line adds --service). Imports
        each CSV saved in the drop folder (drop_folder; by default
        {drop_folder})
        once it is complete, moving it to processed/, or to rejected/ with
        NAME.errors.txt listing each problem as FILE:LINE: COLUMN: reason.
        Syncs soon after a change and every sync_interval_seconds; after a
        failure it backs off (with jitter, honouring the server's
        Retry-After). SIGTERM (Windows: the service's stop, or Ctrl+C) finishes
        the current step and exits; SIGHUP (Windows: 'sc control
        TributaryAgent paramchange') reloads the configuration. Logs one JSON
        object per line unless stderr is a terminal; the Windows service logs
        to DATA_DIR/logs/agent.log and its errors to the event log too.
  status [--json]
        What is pending, what the server has, the last sync and the last error.
  receipts [--json]
        The server's signed receipts, one for every batch it took: the seqs,
        what it had acknowledged, the SHA-256 of the changes and when.
  receipts verify
        Check every receipt's signature under the server's key (pinned at
        enrolment) and that they cover every seq the server acknowledged.
        Exits 0 only if both hold; 5 naming what does not.
  staff add --period YYYY-MM --staff-id ID --staff-group G --staff-role R
            --contracted-hours H --employer-type T --employer-code CODE
            --funding F --start-date DATE [--end-date DATE] [--given-name N]
            [--family-name N] [--registration-body B --registration-number N]
            [--employer-staff-id ID]
        Record one person's workforce entry for a month by hand. Every flag is
        the workforce CSV column in lower case (STAFF_ROLE -> --staff-role) and
        is checked as an imported row is. Names and registration numbers stay
        on this machine; the server sees a person key.
  staff update --period YYYY-MM --staff-id ID [any field flag above]...
        Change a person's entry for the month.
  staff end --period YYYY-MM --staff-id ID --end-date DATE
        Record the day a person stopped working here.
  staff list [--period YYYY-MM] [--json]
        The workforce held for a month (default: the latest).

Options for every command:
  --data-dir DIR   where the agent keeps its store and identity
                   (default: data_dir in the config file, else {data_dir})
  --config FILE    configuration file (default {config})
  --help           help;  --version  the version

Exit status: 0 done; 2 usage; 3 invalid input; 4 network or server busy (try
again later); 5 refused (not enrolled, unauthorized, conflict); 6 sync: some
changes not applied by the server (see 'status'); 1 other failure.
)";

// The manual with this platform's default paths (platform/default_paths.h).
std::string Usage() {
  std::string usage = kUsage;
  std::string drop = DefaultDropFolder(DefaultDataDir()).string();
  for (auto [token, value] : {std::pair{std::string("{data_dir}"), DefaultDataDir().string()},
                              std::pair{std::string("{config}"), DefaultConfigPath().string()},
                              std::pair{std::string("{drop_folder}"), drop}}) {
    usage.replace(usage.find(token), token.size(), value);
  }
  return usage;
}

}  // namespace

int RunAgentCli(int argc, char** argv) {
  try {
    Arguments args(argc, argv, {"json", "help", "version", "service"});
    std::string command = args.Positional(0);
    if (args.Has("version") && !args.Has("help") && command.empty()) {
      std::printf("tributary-agent %s\n", TRIBUTARY_VERSION);
      return kExitOk;
    }
    if (args.Has("help") || command == "help" || command.empty()) {
      return ShowHelp(Usage(), command == "help" ? args.Positional(1) : command,
                      command.empty() && !args.Has("help"));
    }
    if (args.Has("version")) {
      std::printf("tributary-agent %s\n", TRIBUTARY_VERSION);
      return kExitOk;
    }
    using Command = int (*)(const Arguments&, AgentContext&);
    Command run = nullptr;
    if (command == "enrol")
      run = RunEnrol;
    else if (command == "import")
      run = RunImport;
    else if (command == "sync")
      run = RunSync;
    else if (command == "status")
      run = RunStatus;
    else if (command == "receipts")
      run = RunReceipts;
    else if (command == "staff")
      run = RunStaff;
    else if (command == "submit")
      run = RunSubmit;
    else if (command == "profile")
      run = RunProfile;
    if (command == "run") {
      // The service manager's host first: on Windows the Service Control
      // Manager must hear from a service it started within 30 seconds,
      // before the store is opened (which may migrate it).
      return HostDaemon(args.Has("service"), [&](DaemonHost& host) {
        AgentContext context(args);
        return RunDaemon(args, context, host);
      });
    }
    if (run == nullptr) {
      throw Error::InvalidArgument("unknown command '" + command +
                                   "'; see 'tributary-agent --help'");
    }
    AgentContext context(args);
    // Every change to a record moves the store's clock (hlc_last): one queued
    // for the server, or one waiting for a person key the next sync makes.
    std::optional<std::string> clock_before = context.store().GetState("hlc_last");
    int status = run(args, context);
    if (command == "enrol" || context.store().GetState("hlc_last") != clock_before) {
      // Tell a running daemon there is something to send, or that it may
      // start (it watches for this).
      files::WriteAtomic(context.paths().dir / kChangedMarker, "");
    }
    return status;
  } catch (const Error& e) {
    return ReportError(e);
  } catch (const std::exception& e) {
    return ReportError(Error::Internal(e.what()));
  }
}

}  // namespace tributary::agent
