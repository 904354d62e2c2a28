// A CA rollover as an operator runs it (docs/operations.md, "CA rollover"):
// the next CA made, every agent told of it at its heartbeats, the switch
// refused while any agent would be cut off, then made; the server presents a
// certificate of the new CA, the agents sync on without enrolling again, and
// new practices enrol with the new CA's fingerprint.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "cluster.h"
#include "sync/https_client.h"
#include "test_postgres.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/pki.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

boost::json::object CaJson(ServerUnderTest& server) {
  RunResult r = server.Command({"ca", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return boost::json::parse(r.out).as_object();
}

std::string Sha(const boost::json::value& ca) { return std::string(ca.at("sha256").as_string()); }

// Whether a client trusting only `ca_pem` accepts the server's certificate.
bool TrustedBy(const ServerUnderTest& server, const std::string& ca_pem) {
  agent::HttpsClientOptions options;
  options.ca_certificate_pem = ca_pem;
  agent::HttpsClient client(options);
  try {
    return client.Get(server.Url() + "/healthz").status == 200;
  } catch (const Error&) {
    return false;
  }
}

// A change (one of the sample's files), so the sync after it sends a
// heartbeat: the agent's health changed.
void ImportAndSync(AgentUnderTest& agent, const std::string& file) {
  agent.RunOk({"import", (SamplePractice(agent.practice()) / (file + ".csv")).string()});
  agent.RunOk({"sync"});
}

// A token as `token create` gives it after the rollover, with the CA
// fingerprint it prints beside it.
std::pair<std::string, std::string> TokenAndCa(ServerUnderTest& server,
                                               const std::string& practice) {
  RunResult r = server.Command({"token", "create", "--practice", practice, "--json"});
  REQUIRE(r.exit_code == 0);
  auto json = boost::json::parse(r.out);
  return {std::string(json.at("token").as_string()), std::string(json.at("ca_sha256").as_string())};
}

std::vector<std::string> Trusted(const AgentUnderTest& agent) {
  std::vector<std::string> out;
  for (const auto& ca : pki::ReadCertificates(files::Read(agent.data_dir() / "ca.pem")))
    out.push_back(ca.sha256_hex);
  return out;
}

}  // namespace

TEST_CASE(
    "ca rollover: agents learn of the next CA at their heartbeats, the switch waits for them, "
    "and after it they sync on without enrolling again") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest first(dir.path() / "first", "T01100");
  AgentUnderTest second(dir.path() / "second", "T01113");
  for (AgentUnderTest* agent : {&first, &second}) {
    agent->Enrol(server);
    ImportAndSync(*agent, "workforce-2026-08");
  }
  std::string old_ca = Sha(CaJson(server).at("ca"));
  std::string old_ca_pem = files::Read(server.data_dir() / "ca.pem");
  CHECK(CaJson(server).at("next").is_null());

  RunResult start = server.Command({"ca", "rollover", "start"});
  INFO(start.err);
  REQUIRE(start.exit_code == 0);
  std::string next_ca = Sha(CaJson(server).at("next"));
  CHECK(next_ca != old_ca);
  CHECK(server.Command({"ca", "rollover", "start"}).exit_code == 5);  // one at a time
  if (!TestsUsePostgres()) {  // (a PostgreSQL store is restored with pg_restore first)
    // A backup taken now brings the next CA back with the rest.
    files::WriteAtomic(dir.path() / "passphrase", "a long backup passphrase\n");
    std::string pass = (dir.path() / "passphrase").string();
    REQUIRE(server
                .Command(
                    {"backup", "--to", (dir.path() / "backup").string(), "--passphrase-file", pass})
                .exit_code == 0);
    RunResult restored =
        Run({TRIBUTARY_SERVER_BIN, "restore", "--from", (dir.path() / "backup").string(),
             "--data-dir", (dir.path() / "restored").string(), "--passphrase-file", pass});
    INFO(restored.err);
    REQUIRE(restored.exit_code == 0);
    for (const char* name : {"ca-next.pem", "ca-next.key"}) {
      CHECK(files::Read(dir.path() / "restored" / name) == files::Read(server.data_dir() / name));
    }
  }
  REQUIRE(server.Stop() == 0);
  server.Start();

  // The first agent's heartbeat brings the next CA; its next one says it trusts it.
  ImportAndSync(first, "appointments-2026-08");
  CHECK(Trusted(first) == std::vector<std::string>{old_ca, next_ca});
  ImportAndSync(first, "list_size-2026-08");
  boost::json::object during = CaJson(server);
  REQUIRE(during.at("agents_not_trusting_next").as_array().size() == 1);
  CHECK(during.at("agents_not_trusting_next").as_array()[0].at("practice") == "T01113");

  // Finishing now would cut the second agent off: refused, and nothing moves.
  RunResult early = server.Command({"ca", "rollover", "finish"});
  CHECK(early.exit_code == 5);
  CHECK(early.err.find("T01113") != std::string::npos);
  CHECK(Sha(CaJson(server).at("ca")) == old_ca);

  ImportAndSync(second, "appointments-2026-08");
  ImportAndSync(second, "list_size-2026-08");
  CHECK(CaJson(server).at("agents_not_trusting_next").as_array().empty());
  // Without the next CA's key (an instance given only its certificate) nothing moves.
  std::filesystem::rename(server.data_dir() / "ca-next.key", dir.path() / "ca-next.key");
  RunResult keyless = server.Command({"ca", "rollover", "finish"});
  CHECK(keyless.exit_code == 5);
  CHECK(keyless.err.find("ca-next.key is missing") != std::string::npos);
  CHECK(Sha(CaJson(server).at("ca")) == old_ca);
  std::filesystem::rename(dir.path() / "ca-next.key", server.data_dir() / "ca-next.key");
  RunResult finish = server.Command({"ca", "rollover", "finish"});
  INFO(finish.err);
  REQUIRE(finish.exit_code == 0);
  boost::json::object after = CaJson(server);
  CHECK(Sha(after.at("ca")) == next_ca);
  CHECK(Sha(after.at("previous")) == old_ca);
  CHECK(after.at("next").is_null());
  CHECK_FALSE(std::filesystem::exists(server.data_dir() / "ca-next.key"));

  // Restarted, the server presents a certificate of the new CA only.
  REQUIRE(server.Stop() == 0);
  server.Start();
  std::string new_ca_pem = files::Read(server.data_dir() / "ca.pem");
  CHECK(TrustedBy(server, new_ca_pem));
  CHECK_FALSE(TrustedBy(server, old_ca_pem));
  // Both agents sync on with the certificates the old CA issued them, and
  // at that heartbeat stop trusting the old CA.
  for (AgentUnderTest* agent : {&first, &second}) {
    ImportAndSync(*agent, "workforce-2026-09");
    CHECK(AgentAcknowledgedSeq(*agent) == AgentLastSeq(*agent));
    CHECK(Trusted(*agent) == std::vector<std::string>{next_ca});
  }
  CHECK(server.Command({"ca", "rollover", "finish"}).exit_code == 5);  // nothing left to do
  // A new practice enrols with the new CA's fingerprint; the old one is refused.
  AgentUnderTest third(dir.path() / "third", "T01126");
  auto [token, printed_ca] = TokenAndCa(server, "T01126");
  CHECK(printed_ca == next_ca);
  RunResult stale =
      third.Run({"enrol", "--server", server.Url(), "--token", token, "--ca-sha256", old_ca});
  CHECK(stale.exit_code != 0);
  third.RunOk({"enrol", "--server", server.Url(), "--token", token, "--ca-sha256", next_ca});
  ImportAndSync(third, "workforce-2026-08");
  CHECK(AgentAcknowledgedSeq(third) == AgentLastSeq(third));

  RunResult audit = server.Command({"audit", "export"});
  REQUIRE(audit.exit_code == 0);
  CHECK(audit.out.find("\"ca_rollover_start\"") != std::string::npos);
  CHECK(audit.out.find("\"ca_rollover_finish\"") != std::string::npos);
  CHECK(server.Command({"audit", "verify"}).exit_code == 0);
}
