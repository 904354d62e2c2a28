// Randomized rounds of network cuts, stalls, delays and SIGKILLs of the agent
// and the server. After every round the invariants of DESIGN 1 and 2 are
// checked: every change the agent holds reached the server exactly once.
//
// TRIBUTARY_FAULT_SEED and TRIBUTARY_FAULT_ROUNDS reproduce or lengthen a run.
#include <signal.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "cluster.h"
#include "fault_proxy.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

std::uint64_t EnvOr(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value ? std::stoull(value) : fallback;
}

// The practice's August appointments with every count redrawn, so each round
// produces hundreds of upserts to push.
std::string RandomisedAppointments(std::mt19937_64& rng) {
  std::string text = files::Read(SamplePractice("T01100") / "appointments-2026-08.csv");
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

enum class Fault { kCutRequest, kCutResponse, kStall, kDelay, kKillAgent, kKillServer };

const char* Name(Fault f) {
  switch (f) {
    case Fault::kCutRequest: return "cut request";
    case Fault::kCutResponse: return "cut response";
    case Fault::kStall: return "stall";
    case Fault::kDelay: return "delay";
    case Fault::kKillAgent: return "kill agent";
    case Fault::kKillServer: return "kill server";
  }
  return "?";
}

}  // namespace

TEST_CASE("faults: randomized rounds of cuts and kills lose and double nothing") {
  const std::uint64_t seed = EnvOr("TRIBUTARY_FAULT_SEED", std::random_device{}());
  const std::uint64_t rounds = EnvOr("TRIBUTARY_FAULT_ROUNDS", 50);
  std::mt19937_64 rng(seed);
  INFO("seed " << seed);

  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  // Small batches so a sync is many requests and faults land between and inside them.
  AgentUnderTest agent(dir.path() / "agent", "T01100",
                       "batch_size = 40\nrequest_timeout_seconds = 2\n");
  agent.Enrol(server);
  FaultProxy proxy("127.0.0.1", server.port());
  std::string via_proxy = server.UrlVia(proxy.port());

  std::map<std::string, int> faults_seen;
  std::uniform_int_distribution<int> pick(0, 9);
  for (std::uint64_t round = 1; round <= rounds; ++round) {
    auto file = dir.path() / ("round-" + std::to_string(round) + ".csv");
    files::WriteAtomic(file, RandomisedAppointments(rng));
    agent.RunOk({"import", file.string()});

    int p = pick(rng);
    Fault fault = p < 2 ? Fault::kCutRequest
                : p < 4 ? Fault::kCutResponse
                : p < 5 ? Fault::kStall
                : p < 6 ? Fault::kDelay
                : p < 8 ? Fault::kKillAgent
                        : Fault::kKillServer;
    faults_seen[Name(fault)]++;
    INFO("round " << round << ": " << Name(fault));

    FaultPlan plan;
    plan.connections = std::uniform_int_distribution<int>(1, 3)(rng);
    switch (fault) {
      case Fault::kCutRequest:
        plan.cut_request_after_bytes = std::uniform_int_distribution<std::uint64_t>(0, 12000)(rng);
        break;
      case Fault::kCutResponse:
        plan.cut_response_after_bytes = std::uniform_int_distribution<std::uint64_t>(0, 3000)(rng);
        break;
      case Fault::kStall:
        plan.stall_response_after_bytes = std::uniform_int_distribution<std::uint64_t>(0, 3000)(rng);
        plan.connections = 1;
        break;
      case Fault::kDelay:
        plan.delay_per_chunk = std::chrono::milliseconds(std::uniform_int_distribution<int>(1, 5)(rng));
        break;
      default:
        break;
    }
    proxy.SetPlan(plan);

    if (fault == Fault::kKillAgent || fault == Fault::kKillServer) {
      ChildProcess sync({TRIBUTARY_AGENT_BIN, "sync", "--server", via_proxy, "--data-dir",
                         agent.data_dir().string(), "--config",
                         agent.data_dir().string() + ".toml"},
                        dir.path() / "sync.log");
      // Not synchronisation: the random instant is the fault being injected.
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 250)(rng)));
      if (fault == Fault::kKillAgent) {
        sync.Signal(SIGKILL);
        sync.Wait();
      } else {
        server.Kill();
        int status = sync.Wait();
        CHECK((status == 0 || status == 4));
        server.Start();
      }
    } else {
      RunResult r = agent.Run({"sync", "--server", via_proxy});
      INFO(r.err);
      CHECK((r.exit_code == 0 || r.exit_code == 4));
    }

    // Heal the network and let the agent finish.
    proxy.Reset();
    RunResult healed;
    for (int attempt = 0; attempt < 3; ++attempt) {
      healed = agent.Run({"sync", "--server", via_proxy});
      if (healed.exit_code == 0) break;
    }
    INFO(healed.err);
    REQUIRE(healed.exit_code == 0);
    REQUIRE(AgentRecords(agent) == ServerRecords(server, "T01100"));
    ServerLog log = ReadServerLog(server, "T01100");
    std::int64_t last_seq = static_cast<std::int64_t>(AgentLastSeq(agent));
    REQUIRE(log.changes == last_seq);         // nothing lost, nothing doubled
    REQUIRE(log.distinct_seqs == last_seq);
    REQUIRE(log.high_water_mark == last_seq);
    REQUIRE(AgentAcknowledgedSeq(agent) == AgentLastSeq(agent));
  }
  std::string summary;
  for (const auto& [name, n] : faults_seen) summary += " " + name + "=" + std::to_string(n);
  std::printf("fault rounds: %llu (seed %llu):%s; zero lost, zero duplicated; %llu changes\n",
              static_cast<unsigned long long>(rounds), static_cast<unsigned long long>(seed),
              summary.c_str(), static_cast<unsigned long long>(AgentLastSeq(agent)));
  CHECK(proxy.connections_faulted() > 0);
}
