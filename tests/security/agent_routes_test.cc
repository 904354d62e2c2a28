// The agents' routes: who may write what. The practice always comes from the
// certificate; tokens are one-time, short-lived and bounded; nothing refused
// is half-stored.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "deployment.h"
#include "tributary/common/dataset.h"
#include "tributary/protocol/codec.h"

using namespace tributary;
using namespace tributary::testing;

TEST_CASE("security: a push without a client certificate is refused") {
  Deployment d;
  agent::HttpsClient stranger = d.StrangerClient();
  auto r = d.Push(stranger, BatchOf("T01100", {ListSizeChange("T01100", 1, 1)}));
  CHECK(r.status == 401);
  CHECK(ErrorCodeOf(r) == "client_certificate_required");
  CHECK(ReadServerLog(d.server(), "T01100").changes == 0);
}

TEST_CASE("security: pull, renew and heartbeat without a client certificate are refused") {
  Deployment d;
  agent::HttpsClient stranger = d.StrangerClient();
  CHECK(stranger.Get(d.server().Url() + "/v1/sync/pull?after=0").status == 401);
  CHECK(stranger.Post(d.server().Url() + "/v1/renew", "{}", {"Content-Type: application/json"})
            .status == 401);
  CHECK(
      stranger
          .Post(d.server().Url() + "/v1/agent/heartbeat", "{}", {"Content-Type: application/json"})
          .status == 401);
}

TEST_CASE("security: a batch naming another practice is refused whole") {
  Deployment d;
  agent::HttpsClient client = d.AgentClient();
  auto r = d.Push(client, BatchOf("T01101", {ListSizeChange("T01101", 1, 1)}));
  CHECK(r.status == 403);
  CHECK(ErrorCodeOf(r) == "forbidden");
  CHECK(ReadServerLog(d.server(), "T01100").changes == 0);
  CHECK(ReadServerLog(d.server(), "T01101").changes == 0);
}

TEST_CASE("security: a record of another practice inside the agent's own batch is refused whole") {
  Deployment d;
  agent::HttpsClient client = d.AgentClient();
  auto r = d.Push(
      client, BatchOf("T01100", {ListSizeChange("T01100", 1, 1), ListSizeChange("T01101", 2, 2)}));
  CHECK(r.status == 403);
  CHECK(ReadServerLog(d.server(), "T01100").changes == 0);
  CHECK(ReadServerLog(d.server(), "T01101").changes == 0);
}

TEST_CASE("security: a delete whose key names another practice is refused whole") {
  Deployment d;
  protocol::Change del = ListSizeChange("T01101", 1, 1);
  del.op = protocol::ChangeOp::kDelete;
  del.fields.clear();
  agent::HttpsClient client = d.AgentClient();
  auto r = d.Push(client, BatchOf("T01100", {del}));
  CHECK(r.status == 403);
  CHECK(ReadServerLog(d.server(), "T01100").high_water_mark == 0);
}

TEST_CASE("security: a pushed submission delete is refused with 400, not a server fault") {
  Deployment d;
  protocol::Change del;
  del.seq = 1;
  del.dataset = "submission";
  del.op = protocol::ChangeOp::kDelete;
  del.key = "T01100|workforce|2026-08";
  del.version = 1001;
  agent::HttpsClient client = d.AgentClient();
  auto r = d.Push(client, BatchOf("T01100", {del}));
  CHECK(r.status == 400);
  CHECK(ErrorCodeOf(r) == "invalid_input");
  CHECK(ReadServerLog(d.server(), "T01100").high_water_mark == 0);
  // The agent's honest pushes go on.
  CHECK(d.Push(client, BatchOf("T01100", {ListSizeChange("T01100", 1, 1)})).status == 200);
}

TEST_CASE("security: a key that does not match its fields is kept as invalid, never applied") {
  Deployment d;
  protocol::Change c = ListSizeChange("T01100", 1, 1);
  c.key = RecordKey(datasets::ListSize(), ListSizeChange("T01100", 1, 2).fields);
  agent::HttpsClient client = d.AgentClient();
  auto r = d.Push(client, BatchOf("T01100", {c}));
  REQUIRE(r.status == 200);
  auto reply = protocol::DecodePushReply(r.body);
  REQUIRE(reply.ok());
  CHECK(reply.value().accepted == 0);
  REQUIRE(reply.value().outcomes.size() == 1);
  CHECK(reply.value().outcomes[0].outcome == protocol::Outcome::kInvalid);
  CHECK(ServerRecords(d.server(), "T01100").empty());
}

TEST_CASE("security: a revoked agent's certificate is refused at once") {
  Deployment d;
  REQUIRE(d.server().Command({"agents", "revoke", "--practice", "T01100"}).exit_code == 0);
  agent::HttpsClient client = d.AgentClient();
  auto r = d.Push(client, BatchOf("T01100", {ListSizeChange("T01100", 1, 1)}));
  CHECK(r.status == 401);
  CHECK(ErrorCodeOf(r) == "identity_revoked");
  CHECK(ReadServerLog(d.server(), "T01100").changes == 0);
}

TEST_CASE("security: an enrolment token is one-time") {
  Deployment d;
  std::string token = d.server().CreateToken("T01100");
  std::string body = protocol::Encode(protocol::EnrolRequest{token, "not a CSR", "", 0});
  agent::HttpsClient stranger = d.StrangerClient();
  // A malformed request does not use the token up...
  CHECK(stranger.Post(d.server().Url() + "/v1/enrol", body, {"Content-Type: application/json"})
            .status == 400);
  AgentUnderTest second(d.dir().path() / "second", "T01100");
  second.RunOk({"enrol", "--server", d.server().Url(), "--token", token, "--ca-sha256",
                d.server().ca_sha256()});
  // ...an enrolment does.
  AgentUnderTest third(d.dir().path() / "third", "T01100");
  RunResult again = third.Run({"enrol", "--server", d.server().Url(), "--token", token,
                               "--ca-sha256", d.server().ca_sha256()});
  CHECK(again.exit_code == 5);
  CHECK(again.err.find("already been used") != std::string::npos);
}

TEST_CASE("security: a guessed enrolment token is refused and enrols nothing") {
  Deployment d;
  AgentUnderTest guesser(d.dir().path() / "guesser", "T01100");
  RunResult r = guesser.Run({"enrol", "--server", d.server().Url(), "--token", std::string(64, 'a'),
                             "--ca-sha256", d.server().ca_sha256()});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("not known") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(guesser.data_dir() / "agent.pem"));
}

TEST_CASE("security: token create refuses a lifetime over 30 days, or none") {
  Deployment d;
  for (const char* ttl : {"31d", "745h", "0d", "0s"}) {
    INFO(ttl);
    RunResult r = d.server().Command({"token", "create", "--practice", "T01100", "--ttl", ttl});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("at most 30d") != std::string::npos);
  }
  CHECK(d.server().Command({"token", "create", "--practice", "T01100", "--ttl", "30d"}).exit_code ==
        0);
}
