// The fault harness: randomized trials that combine SIGKILL of agents and of
// the server at random instants; connections cut, stalled and delayed at
// random bytes by the fault proxy; packet loss from nftables in a network
// namespace of the harness's own; an agent's disk filling up; and an agent's
// clock a day fast or slow. After every trial the invariant checker
// (invariants.h) reads both sides: nothing acknowledged lost, nothing applied
// twice, outbox and high-water mark in agreement, rollups verified.
//
// Its two-instance mode puts the store in PostgreSQL (a cluster of the
// harness's own, own_postgres.h) behind two `serve` instances: each agent's
// syncs alternate between them, and a trial may SIGKILL either instance or
// PostgreSQL itself, which is then started again.
//
//   TRIBUTARY_FAULT_TRIALS     trials to run (default 100: the short mode CI
//                              runs; docs/testing.md gives the long mode)
//   TRIBUTARY_FAULT_SEED       reproduces a run (default: random, printed)
//   TRIBUTARY_FAULT_INSTANCES  2: the two-instance PostgreSQL mode (default 1,
//                              one server on SQLite)
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include "cluster.h"
#include "fault_proxy.h"
#include "importer/csv_importer.h"
#include "invariants.h"
#include "isolated_network.h"
#include "own_postgres.h"
#include "small_disk.h"
#include "trial_plan.h"
#include "tributary/common/dataset.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

constexpr std::size_t kAgents = 3;
const char* const kPractices[kAgents] = {"T01100", "T01113", "T01126"};
constexpr std::uint64_t kSmallDiskBytes = 64 * 1024 * 1024;

std::uint64_t EnvOr(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value ? std::stoull(value) : fallback;
}

// The practice's August appointments with every count redrawn, so each trial
// produces hundreds of upserts to push.
std::string RandomisedAppointments(const std::string& practice, std::mt19937_64& rng) {
  std::string text = files::Read(SamplePractice(practice) / "appointments-2026-08.csv");
  std::string out;
  std::size_t start = 0;
  bool header = true;
  std::uniform_int_distribution<int> count(0, 40);
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    if (line.empty()) continue;
    if (!header) line = line.substr(0, line.rfind(',') + 1) + std::to_string(count(rng));
    header = false;
    out += line + "\n";
  }
  return out;
}

// The rows (as AgentRecords gives them) that importing `csv` must leave,
// worked out by the importer's own parser: a failed import must leave the
// previous rows, a successful one exactly these — never a mixture.
std::vector<std::string> RowsOf(const std::string& practice, const std::string& csv) {
  agent::ImportSettings settings;
  settings.practice = practice;
  agent::ParsedImport parsed = agent::ParseImport(csv, &datasets::Appointments(), settings);
  REQUIRE(parsed.problems.empty());
  std::vector<std::string> rows;
  for (const auto& period : parsed.periods) {
    for (const FieldMap& record : period.records) {
      rows.push_back("appointments|" + RecordKey(datasets::Appointments(), record) + "|" +
                     CanonicalJson(record));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// libfaketime moves the agent's wall clock; its monotonic clock stays true,
// as on a machine whose clock is merely set wrong.
std::map<std::string, std::string> ClockSkew(int days) {
  if (days == 0) return {};
  // Under AddressSanitizer the preloaded library comes before ASan's runtime,
  // which ASan refuses unless told the order is intended.
  const char* asan = std::getenv("ASAN_OPTIONS");
  std::string asan_options = std::string(asan ? asan : "");
  asan_options += (asan_options.empty() ? "" : ":") + std::string("verify_asan_link_order=0");
  return {{"LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"},
          {"FAKETIME", (days > 0 ? "+" : "") + std::to_string(days) + "d"},
          {"FAKETIME_DONT_FAKE_MONOTONIC", "1"},
          {"FAKETIME_DONT_RESET", "1"},
          {"ASAN_OPTIONS", asan_options}};
}

std::vector<std::string> AgentArgv(const AgentUnderTest& agent, std::vector<std::string> args) {
  args.insert(args.begin(), TRIBUTARY_AGENT_BIN);
  args.push_back("--data-dir");
  args.push_back(agent.data_dir().string());
  args.push_back("--config");
  args.push_back(agent.data_dir().string() + ".toml");
  return args;
}

void RequireNoViolations(const std::vector<std::string>& violations, const std::string& when) {
  std::string text;
  for (const auto& v : violations) text += "\n  " + v;
  INFO(when << text);
  REQUIRE(violations.empty());
}

}  // namespace

TEST_CASE("fault harness: randomized trials of combined faults lose and double nothing") {
  const std::uint64_t seed = EnvOr("TRIBUTARY_FAULT_SEED", std::random_device{}());
  const std::uint64_t trials = EnvOr("TRIBUTARY_FAULT_TRIALS", 100);
  const std::uint64_t instances = EnvOr("TRIBUTARY_FAULT_INSTANCES", 1);
  REQUIRE((instances == 1 || instances == 2));
  std::printf("fault harness: %llu trials, seed %llu%s\n", static_cast<unsigned long long>(trials),
              static_cast<unsigned long long>(seed),
              instances > 1 ? ", two instances on PostgreSQL" : "");
  std::fflush(stdout);
  INFO("seed " << seed << " (TRIBUTARY_FAULT_SEED reproduces the run)");
  std::mt19937_64 rng(seed);

  FaultCapabilities can;
  for (const std::string& why : {IsolatedNetwork::Unavailable(), SmallDisk::Unavailable()}) {
    if (!why.empty()) std::printf("fault harness: not injected here: %s\n", why.c_str());
  }
  can.packet_loss = IsolatedNetwork::Unavailable().empty();
  can.disk_full = SmallDisk::Unavailable().empty();
  can.kill_database = instances > 1;
  can.instances = static_cast<int>(instances);
  // Before anything starts, so every process and socket of the trial lives in it.
  std::optional<IsolatedNetwork> network;
  if (can.packet_loss) network.emplace();

  TempDir dir;
  std::optional<SmallDisk> disk;  // declared after dir: unmounted before dir is removed
  if (can.disk_full) disk.emplace(dir.path() / "small-disk", kSmallDiskBytes);
  std::optional<OwnPostgres> postgres;  // stopped after the servers, before dir goes
  if (instances > 1) postgres.emplace(dir.path() / "postgres");

  std::vector<std::unique_ptr<ServerUnderTest>> servers;
  servers.push_back(std::make_unique<ServerUnderTest>(dir.path() / "server"));
  if (instances > 1) {
    servers.push_back(std::make_unique<ServerUnderTest>(*servers[0], dir.path() / "second"));
  }
  for (auto& s : servers) s->Start();
  ServerUnderTest& server = *servers[0];  // the store they share, for the checks
  std::vector<std::unique_ptr<AgentUnderTest>> agents;
  std::vector<std::vector<std::string>> expected(kAgents);  // each agent's records now
  for (std::size_t i = 0; i < kAgents; ++i) {
    auto home = (i == 0 && disk) ? disk->path() : dir.path();
    // Small batches so a sync is many requests and faults land between and inside them.
    agents.push_back(std::make_unique<AgentUnderTest>(
        home / kPractices[i], kPractices[i], "batch_size = 40\nrequest_timeout_seconds = 2\n"));
    agents.back()->Enrol(server);
  }
  std::vector<std::unique_ptr<FaultProxy>> proxies;
  std::vector<std::string> via_proxy;
  for (auto& s : servers) {
    proxies.push_back(std::make_unique<FaultProxy>("127.0.0.1", s->port()));
    via_proxy.push_back(s->UrlVia(proxies.back()->port()));
  }
  // Agent i's syncs in trial t go to instance (t + i) mod instances: each
  // agent's consecutive syncs alternate between them.
  auto via = [&](std::uint64_t trial, std::size_t i) { return via_proxy[(trial + i) % instances]; };

  std::map<std::string, int> seen;
  for (std::uint64_t trial = 1; trial <= trials; ++trial) {
    TrialPlan plan = DrawTrial(rng, static_cast<int>(kAgents), can);
    INFO("trial " << trial << ": " << Describe(plan));
    seen[Name(plan.network)]++;
    if (plan.kill != KillFault::kNone) seen[Name(plan.kill)]++;
    if (plan.disk_full_agent >= 0) seen["disk full"]++;
    if (plan.skewed_agent >= 0) seen["clock skew"]++;

    if (plan.disk_full_agent >= 0) disk->Fill(plan.disk_free_bytes);

    // New figures, imported whole or not at all (a full disk may refuse them).
    for (std::size_t i = 0; i < kAgents; ++i) {
      if ((plan.importing_agents & (1u << i)) == 0) continue;
      auto file = dir.path() / ("trial-" + std::to_string(trial) + "-" + kPractices[i] + ".csv");
      std::string csv = RandomisedAppointments(kPractices[i], rng);
      files::WriteAtomic(file, csv);
      RunResult r = Run(AgentArgv(*agents[i], {"import", file.string()}), std::chrono::seconds(120),
                        ClockSkew(static_cast<int>(i) == plan.skewed_agent ? plan.skew_days : 0));
      INFO(kPractices[i] << " import: exit " << r.exit_code << ": " << r.err);
      REQUIRE(r.exit_code >= 0);  // refused or done, never crashed
      if (r.exit_code == 0) {
        expected[i] = RowsOf(kPractices[i], csv);
      } else {
        seen["import refused"]++;
      }
    }

    // The faulted syncs, all agents at once.
    if (plan.network == NetworkFault::kPacketLoss) network->SetPacketLoss(plan.loss_per_mille);
    if (plan.network != NetworkFault::kNone && plan.network != NetworkFault::kPacketLoss) {
      for (auto& proxy : proxies) proxy->SetPlan(plan.proxy);
    }
    std::vector<std::unique_ptr<ChildProcess>> syncs;
    for (std::size_t i = 0; i < kAgents; ++i) {
      syncs.push_back(std::make_unique<ChildProcess>(
          AgentArgv(*agents[i], {"sync", "--server", via(trial, i)}),
          dir.path() / ("sync-" + std::to_string(i) + ".log"),
          ClockSkew(static_cast<int>(i) == plan.skewed_agent ? plan.skew_days : 0)));
    }
    if (plan.kill != KillFault::kNone) {
      // Not synchronisation: the random instant is the fault being injected.
      std::this_thread::sleep_for(std::chrono::milliseconds(plan.kill_after_ms));
      if (plan.kill == KillFault::kAgent) {
        syncs[trial % kAgents]->Signal(SIGKILL);
      } else if (plan.kill == KillFault::kServer) {
        servers[static_cast<std::size_t>(plan.killed_instance) % instances]->Kill();
      } else {
        postgres->Crash();
      }
    }
    for (auto& sync : syncs) {
      int status = sync->Wait(std::chrono::seconds(120));
      REQUIRE((status >= 0 || status == -SIGKILL));  // an error exit, never a crash
      if (status != 0) seen["sync failed"]++;
    }

    // Heal everything, then check before any further sync.
    for (auto& proxy : proxies) proxy->Reset();
    if (network) network->SetPacketLoss(0);
    if (disk) disk->Empty();
    if (postgres && !postgres->running()) postgres->Restart();
    for (auto& s : servers) {
      if (!s->running()) s->Start();
    }
    for (std::size_t i = 0; i < kAgents; ++i) {
      RequireNoViolations(CheckNothingLost(server, *agents[i]), "after the faults");
      // Read once the disk has room again: SQLite cannot open a database in
      // WAL mode on a full disk, even to read it.
      INFO(kPractices[i] << ": the records are not those of the last import that succeeded");
      REQUIRE(AgentRecords(*agents[i]) == expected[i]);
    }

    for (std::size_t i = 0; i < kAgents; ++i) {
      RunResult healed;
      for (int attempt = 0; attempt < 5 && healed.exit_code != 0; ++attempt) {
        healed = agents[i]->Run(
            {"sync", "--server", via(trial + 1 + static_cast<std::uint64_t>(attempt), i)});
      }
      INFO(agents[i]->practice() << " healing sync: " << healed.err);
      REQUIRE(healed.exit_code == 0);
    }
    for (const auto& agent : agents) {
      RequireNoViolations(CheckConverged(server, *agent), "after a clean sync");
    }
    RequireNoViolations(CheckRollups(server), "after a clean sync");
  }

  std::string summary;
  std::uint64_t changes = 0;
  std::uint64_t faulted = 0;
  for (const auto& [name, n] : seen) summary += " " + name + "=" + std::to_string(n);
  for (const auto& agent : agents) changes += AgentLastSeq(*agent);
  for (const auto& proxy : proxies) {
    faulted += static_cast<std::uint64_t>(proxy->connections_faulted());
  }
  std::printf(
      "fault harness: %llu trials passed (seed %llu%s):%s; zero lost, zero duplicated; "
      "%llu changes from %zu agents\n",
      static_cast<unsigned long long>(trials), static_cast<unsigned long long>(seed),
      instances > 1 ? ", two instances on PostgreSQL" : "", summary.c_str(),
      static_cast<unsigned long long>(changes), kAgents);
  CHECK(faulted > 0);
}
