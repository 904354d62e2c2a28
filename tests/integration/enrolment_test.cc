// Enrolment through the real command lines: tokens, fingerprints, identity.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "cluster.h"
#include "database/connection.h"
#include "tributary/common/sqlite.h"

using namespace tributary;
using namespace tributary::testing;

TEST_CASE("enrol: the agent's key stays private and its certificate names the practice") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  struct stat key_stat {};
  REQUIRE(::stat((agent.data_dir() / "agent.key").c_str(), &key_stat) == 0);
  CHECK((key_stat.st_mode & 0777) == 0600);
  CHECK(agent.RunOk({"status"}).find("T01100") != std::string::npos);
}

TEST_CASE("enrol: a replayed token is refused") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  std::string token = server.CreateToken("T01100");
  AgentUnderTest first(dir.path() / "a1", "T01100");
  first.RunOk(
      {"enrol", "--server", server.Url(), "--token", token, "--ca-sha256", server.ca_sha256()});
  AgentUnderTest second(dir.path() / "a2", "T01100");
  RunResult r = second.Run(
      {"enrol", "--server", server.Url(), "--token", token, "--ca-sha256", server.ca_sha256()});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("already been used") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(second.data_dir() / "agent.pem"));
}

TEST_CASE("enrol: an expired token is refused") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  std::string token = server.CreateToken("T01100");
  {
    // Age the token in the store rather than waiting for it to expire.
    auto db = OpenServerStore(server);
    db->Exec("UPDATE tokens SET expires_at_ms = 0");
  }
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  RunResult r = agent.Run(
      {"enrol", "--server", server.Url(), "--token", token, "--ca-sha256", server.ca_sha256()});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("expired") != std::string::npos);
}

TEST_CASE("enrol: a CA fingerprint that does not match stops enrolment before the token is sent") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  std::string token = server.CreateToken("T01100");
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  RunResult r = agent.Run(
      {"enrol", "--server", server.Url(), "--token", token, "--ca-sha256", std::string(64, '0')});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("does not match") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(agent.data_dir() / "agent.key"));
  // The token was never presented, so it still works.
  agent.RunOk(
      {"enrol", "--server", server.Url(), "--token", token, "--ca-sha256", server.ca_sha256()});
}

TEST_CASE("enrol: importing before enrolment says how to enrol") {
  TempDir dir;
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  RunResult r =
      agent.Run({"import", (SamplePractice("T01100") / "list_size-2026-08.csv").string()});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("not enrolled") != std::string::npos);
}

TEST_CASE("enrol: token create refuses a malformed practice code") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  RunResult r = server.Command({"token", "create", "--practice", "not-a-code"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("practice code") != std::string::npos);
}
