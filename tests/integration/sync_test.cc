// Enrol -> import -> sync against a real server over mutual TLS, and the ways
// a push can be wrong.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>

#include "cluster.h"
#include "connect_proxy.h"
#include "people_client.h"
#include "sync/https_client.h"
#include "tributary/common/files.h"
#include "tributary/protocol/codec.h"
#include "tributary/protocol/compression.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

std::size_t StaffCount(AgentUnderTest& agent, const std::string& period) {
  return boost::json::parse(agent.RunOk({"staff", "list", "--period", period, "--json"}))
      .as_array()
      .size();
}

const std::vector<std::string> kMonths = {"2026-08", "2026-09", "2026-10"};

// An HTTPS client presenting `agent`'s own certificate, as a hostile or buggy
// agent would.
agent::HttpsClient ClientAs(const AgentUnderTest& a) {
  agent::HttpsClientOptions options;
  options.ca_certificate_pem = files::Read(a.data_dir() / "ca.pem");
  options.client_certificate_path = (a.data_dir() / "agent.pem").string();
  options.client_key_path = (a.data_dir() / "agent.key").string();
  return agent::HttpsClient(options);
}

std::string ListSizeBatch(const std::string& practice, std::uint64_t seq) {
  protocol::PushBatch b;
  b.practice = practice;
  b.from_seq = b.to_seq = seq;
  protocol::Change c;
  c.seq = seq;
  c.dataset = "list_size";
  c.fields = {{"extract_date", "2026-11-01"}, {"practice", practice}, {"patients", "1000"}};
  c.key = RecordKey(datasets::ListSize(), c.fields);
  c.version = 42;
  b.changes = {c};
  return protocol::Encode(b);
}

std::string ErrorCode(const agent::HttpsResponse& r) {
  auto e = protocol::DecodeErrorReply(r.body);
  return e.ok() ? e.value().code : "(not an error reply: " + r.body + ")";
}

}  // namespace

TEST_CASE("sync: a practice's three sample months reach the server exactly once") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  agent.ImportSample(kMonths);
  CHECK(AgentLastSeq(agent) > 1000);
  std::string out = agent.RunOk({"sync"});
  CHECK(out.find("synced:") != std::string::npos);
  RequireExactlyOnce(server, agent);

  SECTION("a second sync with nothing pending sends nothing") {
    agent.RunOk({"sync"});
    RequireExactlyOnce(server, agent);
  }
  SECTION("the server's practices report counts what arrived") {
    RunResult r = server.Command({"practices", "--json"});
    REQUIRE(r.exit_code == 0);
    auto practices = boost::json::parse(r.out).as_array();
    REQUIRE(practices.size() == 1);
    auto& p = practices[0].as_object();
    CHECK(p.at("practice").as_string() == "T01100");
    auto appts = p.at("datasets").as_object().at("appointments").as_object();
    CHECK(appts.size() == 3);
    CHECK(appts.at("2026-08").as_object().at("appointments").as_int64() > 0);
  }
}

TEST_CASE("sync: re-importing a file is a no-op, and a corrected file replaces the month") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  auto original = SamplePractice("T01100") / "appointments-2026-08.csv";
  agent.RunOk({"import", original.string()});
  agent.RunOk({"sync"});
  std::uint64_t seq_after_first = AgentLastSeq(agent);

  CHECK(agent.RunOk({"import", original.string()}).find("already imported") != std::string::npos);
  CHECK(AgentLastSeq(agent) == seq_after_first);

  // The corrected export: one row dropped, one count changed.
  std::string text = files::Read(original);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  lines.erase(lines.begin() + 5);
  std::string& changed = lines[2];
  changed = changed.substr(0, changed.rfind(',') + 1) + "999";
  std::string corrected;
  for (const auto& l : lines) corrected += l + "\n";
  auto corrected_path = dir.path() / "appointments-2026-08-corrected.csv";
  files::WriteAtomic(corrected_path, corrected);
  std::string out = agent.RunOk({"import", corrected_path.string()});
  CHECK(out.find("1 new or changed, 1 removed") != std::string::npos);
  CHECK(AgentLastSeq(agent) == seq_after_first + 2);
  agent.RunOk({"sync"});
  RequireExactlyOnce(server, agent);
}

TEST_CASE("sync: a malformed row is reported as FILE:LINE: COLUMN: reason and nothing is stored") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  auto bad = dir.path() / "bad.csv";
  files::WriteAtomic(bad,
                     "APPOINTMENT_DATE,GP_CODE,HCP_TYPE,APPT_MODE,APPT_STATUS,"
                     "TIME_BETWEEN_BOOK_AND_APPT,NATIONAL_CATEGORY,COUNT_OF_APPOINTMENTS\n"
                     "2026-08-03,T01100,GP,Face-to-Face,Attended,Same Day,Walk-in,3\n"
                     "2026-08-03,T01100,GP,Telepathy,Attended,Same Day,Walk-in,3\n");
  RunResult r = agent.Run({"import", bad.string()});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find(bad.string() + ":3: APPT_MODE: 'Telepathy' is not a APPT_MODE code") !=
        std::string::npos);
  CHECK(AgentLastSeq(agent) == 0);
  CHECK(AgentRecords(agent).empty());
}

TEST_CASE("sync: a sync with nothing to send is a sync: the last sync moves") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  auto status = boost::json::parse(agent.RunOk({"status", "--json"})).as_object();
  CHECK(status.at("last_sync").is_null());
  agent.RunOk({"sync"});  // nothing imported: nothing to send
  status = boost::json::parse(agent.RunOk({"status", "--json"})).as_object();
  CHECK(status.at("last_sync").is_string());
  CHECK(status.at("acknowledged_seq").to_number<std::uint64_t>() == 0);
}

TEST_CASE("sync: status reports what is pending, what the server has, and the last error") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  agent.RunOk({"import", (SamplePractice("T01100") / "list_size-2026-08.csv").string()});
  auto status = boost::json::parse(agent.RunOk({"status", "--json"})).as_object();
  CHECK(status.at("practice").as_string() == "T01100");
  CHECK(status.at("pending_changes").to_number<std::uint64_t>() == 1);
  CHECK(status.at("acknowledged_seq").to_number<std::uint64_t>() == 0);
  CHECK(status.at("last_sync").is_null());
  CHECK(status.at("last_error").is_null());

  server.Stop();
  RunResult failed = agent.Run({"sync"});
  CHECK(failed.exit_code == 4);  // try again later
  status = boost::json::parse(agent.RunOk({"status", "--json"})).as_object();
  CHECK(status.at("last_error").is_string());
  CHECK(status.at("pending_changes").to_number<std::uint64_t>() == 1);

  server.Start();
  agent.RunOk({"sync"});
  status = boost::json::parse(agent.RunOk({"status", "--json"})).as_object();
  CHECK(status.at("pending_changes").to_number<std::uint64_t>() == 0);
  CHECK(status.at("acknowledged_seq").to_number<std::uint64_t>() == 1);
  CHECK(status.at("last_sync").is_string());
  CHECK(status.at("last_error").is_null());
}

TEST_CASE(
    "sync: with the server stopped every command works but enrol and sync; new people wait "
    "for their keys, and one sync sends them keyed") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  server.Stop();
  auto sample = [&agent](const std::string& file) {
    return (SamplePractice(agent.practice()) / file).string();
  };
  // The practice's first workforce month: everyone is new to it.
  std::string imported = agent.RunOk({"import", sample("workforce-2026-08.csv")});
  CHECK(imported.find("wait for their person keys") != std::string::npos);
  agent.RunOk({"import", sample("appointments-2026-08.csv")});
  agent.RunOk({"import", sample("list_size-2026-08.csv")});
  // And a new starter entered by hand.
  std::string added = agent.RunOk({"staff",
                                   "add",
                                   "--period",
                                   "2026-08",
                                   "--staff-id",
                                   "S999",
                                   "--given-name",
                                   "Nell",
                                   "--family-name",
                                   "Starter",
                                   "--registration-body",
                                   "GMC",
                                   "--registration-number",
                                   "7999999",
                                   "--staff-group",
                                   "GP",
                                   "--staff-role",
                                   "Salaried GP",
                                   "--contracted-hours",
                                   "20",
                                   "--employer-type",
                                   "PRACTICE",
                                   "--employer-code",
                                   "T01100",
                                   "--funding",
                                   "PRACTICE",
                                   "--start-date",
                                   "2026-08-01"});
  CHECK(added.find("new to this practice") != std::string::npos);
  std::size_t staff = StaffCount(agent, "2026-08");
  CHECK(staff > 1);
  auto status = boost::json::parse(agent.RunOk({"status", "--json"})).as_object();
  auto waiting = status.at("awaiting_person_keys").as_object();
  CHECK(waiting.at("people").as_int64() == static_cast<std::int64_t>(staff));
  CHECK(waiting.at("records").as_int64() == static_cast<std::int64_t>(staff));
  CHECK(waiting.at("since").is_string());
  CHECK(agent.RunOk({"status"}).find("awaiting keys:") != std::string::npos);
  RunResult offline = agent.Run({"sync"});
  CHECK(offline.exit_code == 4);  // try again later

  server.Start();  // same port
  auto synced = boost::json::parse(agent.RunOk({"sync", "--json"})).as_object();
  CHECK(synced.at("people_keyed").as_int64() == static_cast<std::int64_t>(staff));
  CHECK(synced.at("people_awaiting_keys").as_int64() == 0);
  CHECK(AgentAcknowledgedSeq(agent) == AgentLastSeq(agent));
  CHECK(AgentRecords(agent) == ServerRecords(server, "T01100"));
  status = boost::json::parse(agent.RunOk({"status", "--json"})).as_object();
  CHECK(status.at("awaiting_person_keys").as_object().at("records").as_int64() == 0);
  std::vector<std::string> held = ServerRecords(server, "T01100");
  for (const std::string& record : held) {
    CHECK(record.find("pending-") == std::string::npos);
    for (const char* identifying : {"7999999", "Nell", "Starter", "S999"}) {
      CHECK(record.find(identifying) == std::string::npos);
    }
  }
}

TEST_CASE("push over mTLS: without a client certificate it is refused") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  agent::HttpsClient client = PeopleClientFor(server);
  auto r = client.Post(server.Url() + "/v1/sync/push", ListSizeBatch("T01100", 1), {});
  CHECK(r.status == 401);
  CHECK(ErrorCode(r) == "client_certificate_required");
}

TEST_CASE("push over mTLS: an agent pushing for another practice is refused") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  auto client = ClientAs(agent);
  auto r = client.Post(server.Url() + "/v1/sync/push", ListSizeBatch("T01113", 1), {});
  CHECK(r.status == 403);
  CHECK(ServerRecords(server, "T01113").empty());
  CHECK(ReadServerLog(server, "T01100").high_water_mark == 0);
}

TEST_CASE(
    "push over mTLS: the same batch twice takes effect once, and a gap names the resume seq") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  auto client = ClientAs(agent);
  std::string url = server.Url() + "/v1/sync/push";
  auto first = client.Post(url, ListSizeBatch("T01100", 1), {});
  REQUIRE(first.status == 200);
  auto second = client.Post(url, ListSizeBatch("T01100", 1), {});
  REQUIRE(second.status == 200);
  auto reply = protocol::DecodePushReply(second.body);
  REQUIRE(reply.ok());
  CHECK(reply.value().acknowledged_seq == 1);
  CHECK(reply.value().accepted == 0);
  CHECK(ReadServerLog(server, "T01100").changes == 1);

  auto gap = client.Post(url, ListSizeBatch("T01100", 5), {});
  CHECK(gap.status == 409);
  auto e = protocol::DecodeErrorReply(gap.body);
  REQUIRE(e.ok());
  CHECK(e.value().code == "sequence_gap");
  CHECK(e.value().resume_from == 2u);
}

TEST_CASE(
    "push over mTLS: malformed bodies and compression bombs are refused, and the server goes on") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  auto client = ClientAs(agent);
  std::string url = server.Url() + "/v1/sync/push";
  auto garbage = client.Post(url, "{\"v\":\"1.0\",", {});
  CHECK(garbage.status == 400);
  CHECK(ErrorCode(garbage) == "malformed");
  auto bomb = client.Post(url, protocol::Compress(std::string(200 * 1024 * 1024, ' ')),
                          {"Content-Encoding: zstd"});
  CHECK(bomb.status == 400);
  CHECK(ErrorCode(bomb) == "bad_encoding");
  auto fine = client.Post(url, ListSizeBatch("T01100", 1), {});
  CHECK(fine.status == 200);
}

TEST_CASE("sync: goes through the configured HTTP proxy, and fails rather than go around it") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  ConnectProxy proxy;
  AgentUnderTest agent(dir.path() / "agent", "T01100", "proxy = \"" + proxy.Url() + "\"\n");
  agent.Enrol(server);
  agent.RunOk({"import", (SamplePractice("T01100") / "list_size-2026-08.csv").string()});
  agent.RunOk({"sync"});
  RequireExactlyOnce(server, agent);
  auto tunnels = proxy.tunnels();
  REQUIRE_FALSE(tunnels.empty());
  CHECK(tunnels.front() == "127.0.0.1:" + std::to_string(server.port()));

  // --proxy overrides the file; a proxy that is down means no sync at all.
  agent.RunOk({"import", (SamplePractice("T01100") / "list_size-2026-09.csv").string()});
  std::string dead_proxy;
  {
    ConnectProxy gone;
    dead_proxy = gone.Url();
  }
  RunResult r = agent.Run({"sync", "--proxy", dead_proxy});
  CHECK(r.exit_code == 4);
  CHECK(AgentAcknowledgedSeq(agent) < AgentLastSeq(agent));
}
