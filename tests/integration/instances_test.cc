// Several `serve` instances on one PostgreSQL store (docs/operations.md,
// "Two or more instances"): any instance takes any agent's push, and a
// change is applied once whichever instance it reached, however often the
// agent's pushes move between them, lose their answers or meet a killed one.
#include <catch2/catch.hpp>
#include <csignal>
#include <random>
#include <thread>

#include "cluster.h"
#include "fault_proxy.h"
#include "test_postgres.h"

using namespace tributary;
using namespace tributary::testing;

TEST_CASE(
    "instances: an agent's pushes to two instances on one PostgreSQL store apply exactly once, "
    "through lost answers and a killed instance",
    "[postgresql]") {
  REQUIRE(TestsUsePostgres());
  TempDir dir;
  ServerUnderTest first(dir.path() / "first");
  ServerUnderTest second(first, dir.path() / "second");
  first.Start();
  second.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01113", "request_timeout_seconds = 2\n");
  agent.Enrol(first);  // enrolled at one, known to both
  FaultProxy to_second("127.0.0.1", second.port());
  const unsigned seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 rng(seed);

  const std::vector<std::string> months = {"2026-08", "2026-09", "2026-10"};
  for (std::size_t round = 0; round < months.size(); ++round) {
    INFO("round " << round);
    agent.ImportSample({months[round]});
    if (round == 1) {
      // The second instance killed at a random moment of a push to it.
      ChildProcess sync(
          {TRIBUTARY_AGENT_BIN, "sync", "--server", second.Url(), "--data-dir",
           agent.data_dir().string(), "--config", agent.data_dir().string() + ".toml"},
          dir.path() / "sync.log");
      // Not synchronisation: the random instant is the fault being injected.
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 200)(rng)));
      second.Kill();
      sync.Wait();
      second.Start();
    } else {
      // The push reaches the second instance; its answer is lost on the way back.
      FaultPlan plan;
      plan.cut_response_after_bytes = std::uniform_int_distribution<std::uint64_t>(0, 4000)(rng);
      to_second.SetPlan(plan);
      RunResult cut = agent.Run({"sync", "--server", second.UrlVia(to_second.port())});
      CHECK((cut.exit_code == 0 || cut.exit_code == 4));
      to_second.Reset();
    }
    // The next push goes to the first instance, which must know what the
    // second applied.
    agent.RunOk({"sync", "--server", first.Url()});
    RequireExactlyOnce(first, agent);
  }
  // Both instances answer from the one store.
  RunResult a = first.Command({"practices", "--json"});
  RunResult b = second.Command({"practices", "--json"});
  REQUIRE(a.exit_code == 0);
  CHECK(a.out == b.out);
  CHECK(a.out.find("T01113") != std::string::npos);
}

TEST_CASE("instances: init refuses a PostgreSQL store another server's CA owns, leaving nothing",
          "[postgresql]") {
  REQUIRE(TestsUsePostgres());
  TempDir dir;
  ServerUnderTest first(dir.path() / "first");  // owns the store
  std::filesystem::path other = dir.path() / "other";
  RunResult init = Run({TRIBUTARY_SERVER_BIN, "init", "--data-dir", other.string(), "--hostname",
                        "127.0.0.1", "--store", TestPostgresUrl(first.data_dir())});
  CHECK(init.exit_code != 0);
  CHECK(init.err.find("belongs to another server") != std::string::npos);
  CHECK(init.err.find(first.ca_sha256()) != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(other / "ca.key"));
  CHECK_FALSE(std::filesystem::exists(other / "store.url"));
  // A copy of the first's directory is the same server: it serves.
  ServerUnderTest copy(first, dir.path() / "copy");
  copy.Start();
  CHECK(copy.Command({"practices"}).exit_code == 0);
}
