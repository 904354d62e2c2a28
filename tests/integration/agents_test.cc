// The operator's view of agents and an agent's identity over time:
// heartbeats and `agents`, certificate renewal, revocation and enrolling again.
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "cluster.h"
#include "database/connection.h"
#include "tributary/common/files.h"
#include "tributary/common/pki.h"
#include "tributary/common/sqlite.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

boost::json::object AgentOf(ServerUnderTest& server, const std::string& practice) {
  RunResult r = server.Command({"agents", "--json"});
  REQUIRE(r.exit_code == 0);
  auto doc = boost::json::parse(r.out);
  for (const auto& a : doc.at("agents").as_array()) {
    if (a.at("practice").as_string() == practice && !a.at("revoked").as_bool()) {
      return a.as_object();
    }
  }
  FAIL("no enrolled agent of " << practice << " in " << r.out);
  return {};
}

std::string CertificateSerial(const AgentUnderTest& agent) {
  return pki::ReadCertificate(files::Read(agent.data_dir() / "agent.pem")).serial_hex;
}

std::int64_t ServerCount(const ServerUnderTest& server, const std::string& sql) {
  auto db = OpenServerStore(server);
  auto stmt = db->Prepare(sql);
  stmt.Step();
  return stmt.ColumnInt(0);
}

}  // namespace

TEST_CASE("agents: each sync leaves a heartbeat the operator reads with 'agents'") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  auto never = AgentOf(server, "T01100");
  CHECK(never.at("last_seen").is_null());
  std::string serial = CertificateSerial(agent);

  agent.ImportSample({"2026-08"});
  agent.RunOk({"sync"});
  CHECK(CertificateSerial(agent) == serial);  // 90 days left: not renewed yet
  auto seen = AgentOf(server, "T01100");
  CHECK(seen.at("last_seen").is_string());
  CHECK(seen.at("behind_by").as_int64() == 0);
  CHECK(seen.at("queue_depth").as_int64() == 0);
  CHECK(seen.at("agent_last_seq").as_int64() == static_cast<std::int64_t>(AgentLastSeq(agent)));
  CHECK(seen.at("store_bytes").as_int64() > 0);
  CHECK(std::abs(seen.at("clock_skew_ms").as_int64()) < 60'000);
  CHECK_FALSE(seen.at("certificate_expiring").as_bool());
  CHECK(seen.at("agent_version").as_string() == TRIBUTARY_VERSION);

  std::string table = server.Command({"agents"}).out;
  CHECK(table.find("T01100") != std::string::npos);
  CHECK(table.find("enrolled") != std::string::npos);
}

TEST_CASE("agents: a sync with nothing to do is one request, and still counts the agent seen") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  agent.ImportSample({"2026-08"});
  std::string first = agent.RunOk({"sync"});
  // The staff's person keys (all new to the practice), push, pull, heartbeat.
  CHECK(first.find("; 4 request(s)") != std::string::npos);
  const std::string seen_sql = "SELECT seen_at_ms FROM agent_health";
  std::int64_t seen_first = ServerCount(server, seen_sql);
  REQUIRE(seen_first > 0);

  std::string idle = agent.RunOk({"sync"});
  INFO(idle);
  CHECK(idle.find("; 1 request(s)") != std::string::npos);  // the pull alone
  CHECK(ServerCount(server, seen_sql) >= seen_first);

  // Health that changed goes at once: new figures move the agent's last seq.
  agent.ImportSample({"2026-09"});
  std::string changed = agent.RunOk({"sync"});
  CHECK(changed.find("; 3 request(s)") != std::string::npos);
  CHECK(AgentOf(server, "T01100").at("agent_last_seq").as_int64() ==
        static_cast<std::int64_t>(AgentLastSeq(agent)));
}

TEST_CASE("agents: a certificate close to expiry is renewed with a new key, and syncing goes on") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  // Certificates last 90 days; renewing within 365 days of expiry means now.
  AgentUnderTest agent(dir.path() / "agent", "T01100", "renew_before_days = 365\n");
  agent.Enrol(server);
  std::string first = CertificateSerial(agent);
  std::string first_key = files::Read(agent.data_dir() / "agent.key");
  agent.ImportSample({"2026-08"});
  agent.RunOk({"sync"});
  std::string second = CertificateSerial(agent);
  CHECK(second != first);
  CHECK(files::Read(agent.data_dir() / "agent.key") != first_key);
  CHECK_FALSE(std::filesystem::exists(agent.data_dir() / "agent.pem.new"));
  // With the new pair, still within the window: the server takes one
  // renewal a day, so this one is deferred and syncing goes on.
  agent.ImportSample({"2026-09"});
  RunResult deferred = agent.Run({"sync"});
  REQUIRE(deferred.exit_code == 0);
  CHECK(deferred.err.find("certificate_renewal_deferred") != std::string::npos);
  CHECK(CertificateSerial(agent) == second);
  CHECK(ServerCount(server, "SELECT count(*) FROM certificates") == 2);
  CHECK(AgentAcknowledgedSeq(agent) == AgentLastSeq(agent));
  // The new certificate has been used: the first is retired an hour later.
  CHECK(ServerCount(server, "SELECT count(*) FROM certificates WHERE serial_hex = '" + first +
                                "' AND retired_at_ms IS NOT NULL") == 1);
  CHECK(ServerCount(server, "SELECT count(*) FROM certificates WHERE serial_hex = '" + second +
                                "' AND retired_at_ms IS NULL AND first_used_at_ms IS NOT NULL") ==
        1);
  // Told when to ask again, the agent does not ask before then.
  RunResult quiet = agent.Run({"sync"});
  REQUIRE(quiet.exit_code == 0);
  CHECK(quiet.err.find("certificate_renewal_deferred") == std::string::npos);
}

TEST_CASE(
    "agents: a revoked identity is refused until the practice enrols again, then nothing "
    "is sent twice") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  agent.ImportSample({"2026-08"});
  agent.RunOk({"sync"});
  std::uint64_t delivered = AgentAcknowledgedSeq(agent);

  RunResult revoke = server.Command({"agents", "revoke", "--practice", "T01100"});
  REQUIRE(revoke.exit_code == 0);
  agent.ImportSample({"2026-09"});
  RunResult refused = agent.Run({"sync"});
  CHECK(refused.exit_code == 5);
  CHECK(refused.err.find("identity_revoked") != std::string::npos);

  agent.Enrol(server);  // a new token, the same data directory
  agent.RunOk({"sync"});
  CHECK(AgentAcknowledgedSeq(agent) == AgentLastSeq(agent));
  CHECK(AgentRecords(agent) == ServerRecords(server, "T01100"));
  // The new identity took up after what the old one had delivered.
  CHECK(ServerCount(server, "SELECT count(*) FROM change_log") ==
        static_cast<std::int64_t>(AgentLastSeq(agent)));
  CHECK(delivered < AgentLastSeq(agent));
}

TEST_CASE(
    "agents: the daemon says once that its identity is refused, and resumes when enrolled "
    "again") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100",
                       "sync_debounce_seconds = 0\nfile_settle_seconds = 0\n");
  agent.Enrol(server);
  auto daemon = agent.StartDaemon();
  daemon->WaitForLineContaining("\"synced\"");
  REQUIRE(server.Command({"agents", "revoke", "--practice", "T01100"}).exit_code == 0);
  // A change the daemon will try to send.
  agent.RunOk({"import", (SamplePractice("T01100") / "list_size-2026-08.csv").string()});
  daemon->WaitForLineContaining("\"identity_refused\"");
  agent.Enrol(server);
  daemon->WaitForLineContaining("\"identity_renewed\"");
  daemon->WaitForLineContaining("\"synced\"");
  CHECK(AgentAcknowledgedSeq(agent) == AgentLastSeq(agent));
  daemon->Signal(SIGTERM);
  daemon->WaitForLineContaining("\"agent_stopped\"");
  // Refused once, not in a loop.
  std::size_t refusals = 0;
  for (std::size_t at = 0;
       (at = daemon->output().find("\"identity_refused\"", at)) != std::string::npos; ++at) {
    ++refusals;
  }
  CHECK(refusals == 1);
  CHECK(daemon->Wait() == 0);
}

TEST_CASE("agents: a stray SIGHUP does not stop the server") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  server.Signal(SIGHUP);
  agent.ImportSample({"2026-08"});
  agent.RunOk({"sync"});  // still serving
  CHECK(AgentAcknowledgedSeq(agent) == AgentLastSeq(agent));
  CHECK(server.Stop() == 0);
  CHECK(files::Read(server.data_dir() / "serve.log").find("reload_unsupported") !=
        std::string::npos);
}
