// National benchmark: a month of every practice of a generated nation
// (tributary-sim: ~2,000 appointment rows, 30-60 staff and a list size each),
// each practice its own enrolled agent, pushed over mTLS to one server on
// loopback and rolled up; then the herd: the server goes down, every agent
// queues a change, the server comes back with a small admission limit and
// every agent's daemon returns at once.
//
// Reported: the month pushed and rolled up (seconds until every agent's sync
// has finished, plus the first ICS rollup read); for the herd, agents through,
// errors (exits, 5xx), 429s answered with Retry-After, and the server's peak
// memory until the cross-practice findings of the new changes are published
// (they read the month and the twelve before it).
//
//   national_bench [--practices 6300] [--parallel 16] [--herd-pending 32] [--keep DIR]
//
// --keep copies the server's data directory to DIR at the end, to measure
// readings of a national store further.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agent_store_files.h"
#include "bench_cluster.h"
#include "bench_options.h"
#include "child_process.h"
#include "temp_dir.h"
#include "tributary/common/files.h"
#include "tributary/common/sqlite.h"

using namespace tributary;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Options {
  int practices = 6300;
  int parallel = 16;      // agent processes at once while setting up and pushing
  int herd_pending = 32;  // the server's max_pending_requests during the herd
  std::string keep;       // where to copy the server's data directory; "" for nowhere
};

Options Parse(int argc, char** argv) {
  Options o;
  bench::ParseOptions(argc, argv,
                      "usage: national_bench [--practices N] [--parallel N] [--herd-pending N] "
                      "[--keep DIR]\n",
                      {{"--practices", &o.practices},
                       {"--parallel", &o.parallel},
                       {"--herd-pending", &o.herd_pending}},
                      {{"--keep", &o.keep}});
  return o;
}

// Runs every command, at most `parallel` at once; exits on any failure.
void RunAll(const std::vector<std::vector<std::string>>& commands, int parallel,
            const std::filesystem::path& log) {
  std::deque<std::unique_ptr<testing::ChildProcess>> running;
  auto finish_one = [&running]() {
    int status = running.front()->Wait(std::chrono::seconds(3600));
    if (status != 0) {
      std::fprintf(stderr, "national_bench: a command failed (%d); see the logs\n", status);
      std::exit(1);
    }
    running.pop_front();
  };
  for (const auto& argv : commands) {
    if (static_cast<int>(running.size()) >= parallel) finish_one();
    running.push_back(std::make_unique<testing::ChildProcess>(argv, log));
  }
  while (!running.empty()) finish_one();
}

std::int64_t Scalar(const std::filesystem::path& db, const std::string& sql,
                    const std::string& key_hex = "") {
  auto database = sqlite::Database::Open(db, key_hex);
  auto stmt = database.Prepare(sql);
  stmt.Step();
  return stmt.ColumnInt(0);
}

long PeakKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

// Sum of tributary_http_requests_total lines whose status matches `prefix`.
long RequestsWithStatus(const std::string& metrics, const std::string& prefix) {
  long total = 0;
  std::istringstream in(metrics);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("tributary_http_requests_total{", 0) == 0 &&
        line.find("status=\"" + prefix) != std::string::npos) {
      total += std::atol(line.c_str() + line.rfind(' ') + 1);
    }
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = Parse(argc, argv);
  testing::TempDir dir;
  auto nation = dir.path() / "nation";
  std::fprintf(stderr, "generating %d practices...\n", o.practices);
  bench::MustRun({TRIBUTARY_SIM_BIN, "--out", nation.string(), "--practices",
                  std::to_string(o.practices), "--seed", "1"});
  std::vector<std::string> practices;
  for (const auto& entry : std::filesystem::directory_iterator(nation / "practices")) {
    practices.push_back(entry.path().filename().string());
  }
  std::sort(practices.begin(), practices.end());

  auto server_dir = dir.path() / "server";
  auto server = std::make_unique<bench::BenchServer>(server_dir);
  bench::MustRun({TRIBUTARY_SERVER_BIN, "orgs", "import", (nation / "orgs.csv").string(),
                  "--data-dir", server_dir.string()});

  std::fprintf(stderr, "enrolling %zu agents and importing their month...\n", practices.size());
  auto agent_dir = [&dir](const std::string& practice) {
    return (dir.path() / "agents" / practice).string();
  };
  std::filesystem::create_directories(dir.path() / "agents");
  for (const auto& practice : practices) server->EnrolAgent(practice, agent_dir(practice));
  for (const char* dataset : {"workforce", "appointments", "list_size"}) {
    std::vector<std::vector<std::string>> imports;
    for (const auto& practice : practices) {
      auto file = nation / "practices" / practice / (std::string(dataset) + "-2026-08.csv");
      imports.push_back(bench::AgentCommand(agent_dir(practice), {"import", file.string()}));
    }
    RunAll(imports, o.parallel, dir.path() / "import.log");
  }
  std::int64_t queued = 0;
  for (const auto& practice : practices) {
    queued += Scalar(std::filesystem::path(agent_dir(practice)) / "agent.db",
                     "SELECT count(*) FROM outbox", testing::AgentStoreKey(agent_dir(practice)));
  }

  std::fprintf(stderr, "pushing %lld changes...\n", static_cast<long long>(queued));
  auto start = SteadyClock::now();
  std::vector<std::vector<std::string>> syncs;
  for (const auto& practice : practices) {
    syncs.push_back(bench::AgentCommand(agent_dir(practice), {"sync"}));
  }
  RunAll(syncs, o.parallel, dir.path() / "sync.log");
  double push_seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  auto rolled = SteadyClock::now();
  bench::MustRun({TRIBUTARY_SERVER_BIN, "rollups", "show", "--data-dir", server_dir.string(),
                  "--level", "ics", "--period", "2026-08", "--totals", "--format", "csv"});
  double rollup_seconds = std::chrono::duration<double>(SteadyClock::now() - rolled).count();
  std::int64_t held = Scalar(server_dir / "server.db", "SELECT count(*) FROM change_log");
  if (held != queued) {
    std::fprintf(stderr, "the server logged %lld changes, the agents queued %lld\n",
                 static_cast<long long>(held), static_cast<long long>(queued));
    return 1;
  }

  // The herd: down, a change queued everywhere, back with a small admission limit.
  const int port = server->port();
  server.reset();
  std::fprintf(stderr, "herd: %zu agents return at once...\n", practices.size());
  for (const auto& practice : practices) {
    auto file = dir.path() / "agents" / (practice + "-list.csv");
    files::WriteAtomic(
        file, "EXTRACT_DATE,PRACTICE_CODE,NUMBER_OF_PATIENTS\n2026-09-01," + practice + ",9999\n");
    bench::MustRun(bench::AgentCommand(agent_dir(practice), {"import", file.string()}));
  }
  auto herd_config = dir.path() / "herd-server.toml";
  files::WriteAtomic(herd_config,
                     "max_pending_requests = " + std::to_string(o.herd_pending) +
                         "\nbusy_retry_after_seconds = 2\nfindings_every_seconds = 5\n");
  testing::ChildProcess herd_server(
      {TRIBUTARY_SERVER_BIN, "serve", "--data-dir", server_dir.string(), "--config",
       herd_config.string(), "--listen", "127.0.0.1:" + std::to_string(port)},
      dir.path() / "herd-serve.log");
  herd_server.WaitForLine("listening on ");
  auto herd_start = SteadyClock::now();
  std::vector<std::unique_ptr<testing::ChildProcess>> daemons;
  for (const auto& practice : practices) {
    daemons.push_back(std::make_unique<testing::ChildProcess>(
        bench::AgentCommand(agent_dir(practice), {"run"}), agent_dir(practice) + ".daemon.log"));
  }
  // Through when the server holds every agent's new change (polling is the
  // measurement here; a test would wait on an event).
  const std::int64_t expected = queued + static_cast<std::int64_t>(practices.size());
  auto deadline = SteadyClock::now() + std::chrono::minutes(30);
  while (Scalar(server_dir / "server.db", "SELECT count(*) FROM change_log") < expected) {
    if (SteadyClock::now() > deadline) {
      std::fprintf(stderr, "national_bench: the herd did not get through in 30 minutes\n");
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  double herd_seconds = std::chrono::duration<double>(SteadyClock::now() - herd_start).count();
  // Every change is in; once no month is stale, a publication that read the
  // changed months and the twelve before has finished, and the peak includes it.
  while (Scalar(server_dir / "server.db", "SELECT count(*) FROM findings_stale") > 0) {
    if (SteadyClock::now() > deadline) {
      std::fprintf(stderr, "national_bench: the findings were not published in time\n");
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  long peak_kib = PeakKib(herd_server.pid());
  testing::RunResult metrics =
      bench::MustRun({"/usr/bin/curl", "-sS", "--cacert", (server_dir / "ca.pem").string(),
                      "https://127.0.0.1:" + std::to_string(port) + "/metrics"});
  int daemon_errors = 0;
  for (auto& daemon : daemons) {
    daemon->Signal(SIGTERM);
    daemon_errors += daemon->Wait(std::chrono::seconds(60)) != 0;
  }
  herd_server.Signal(SIGTERM);
  herd_server.Wait(std::chrono::seconds(60));
  if (!o.keep.empty()) {
    std::filesystem::copy(server_dir, o.keep, std::filesystem::copy_options::recursive);
  }
  long busy = RequestsWithStatus(metrics.out, "429");
  long server_errors = RequestsWithStatus(metrics.out, "5");

  const double records = static_cast<double>(queued);
  char measured[200];
  std::snprintf(measured, sizeof measured,
                "%.0f s: push %.0f s (%.0f records/s), first ICS rollup read %.1f s; %zu agents, "
                "%.0f records",
                push_seconds + rollup_seconds, push_seconds, records / push_seconds, rollup_seconds,
                practices.size(), records);
  bench::PrintRow(
      "national month: " + std::to_string(practices.size()) + " agents' month pushed and rolled up",
      measured, "-", "-", "<= 2 minutes (6,300 agents)",
      practices.size() >= 6300 && push_seconds + rollup_seconds <= 120);
  std::snprintf(measured, sizeof measured,
                "%zu agents through in %.0f s; %d agent errors, %ld server errors; %ld answered "
                "429 + Retry-After; server peak RSS %.0f MB (findings published)",
                practices.size(), herd_seconds, daemon_errors, server_errors, busy,
                static_cast<double>(peak_kib) / 1024);
  bench::PrintRow("herd: " + std::to_string(practices.size()) +
                      " agents (daemons) return at once after an outage",
                  measured, "-", "-", "0 errors; 429 + Retry-After; memory bounded",
                  daemon_errors == 0 && server_errors == 0);
  return 0;
}
