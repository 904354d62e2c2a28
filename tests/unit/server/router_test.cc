// The request handler without sockets: routes, authentication by certificate,
// decoding and error codes.
#include "http/router.h"

#include <catch2/catch.hpp>

#include "http/error_response.h"
#include "reconcile/record_readings.h"
#include "server_fixture.h"
#include "tributary/common/pki.h"
#include "tributary/protocol/codec.h"
#include "tributary/protocol/compression.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;

namespace {

struct Fixture : ServerFixture {
  Fixture() : ServerFixture(1'700'000'000'000) {}

  HttpResponse Post(const std::string& target, const std::string& body,
                    std::optional<PeerCertificate> peer = std::nullopt,
                    std::map<std::string, std::string> headers = {}) {
    HttpRequest request;
    request.method = "POST";
    request.target = target;
    request.body = body;
    request.peer = std::move(peer);
    request.headers = std::move(headers);
    return router.Handle(request);
  }

  // Enrols through the route and returns the peer certificate an mTLS
  // connection would present.
  PeerCertificate EnrolAgent(const std::string& practice) {
    NewToken token = enrolment.CreateToken(practice, std::chrono::hours(1));
    std::string key = pki::GeneratePrivateKeyPem();
    protocol::EnrolRequest request{token.token, pki::MakeCsrPem(key, "agent"), "test"};
    HttpResponse response = Post("/v1/enrol", protocol::Encode(request));
    REQUIRE(response.status == 200);
    auto reply = protocol::DecodeEnrolReply(response.body);
    REQUIRE(reply.ok());
    pki::CertificateInfo info = pki::ReadCertificate(reply.value().certificate_pem);
    return PeerCertificate{info.common_name, info.serial_hex, info.not_after};
  }
};

std::string ListSizeBatch(std::uint64_t seq, const std::string& practice = "T01100") {
  protocol::PushBatch b;
  b.practice = practice;
  b.from_seq = b.to_seq = seq;
  protocol::Change c;
  c.seq = seq;
  c.dataset = "list_size";
  c.fields = {{"extract_date", "2026-08-01"}, {"practice", practice}, {"patients", "100"}};
  c.key = RecordKey(datasets::ListSize(), c.fields);
  c.version = 5;
  b.changes = {c};
  return protocol::Encode(b);
}

}  // namespace

TEST_CASE("router: healthz answers ok") {
  Fixture f;
  HttpRequest r;
  r.method = "GET";
  r.target = "/healthz";
  auto response = f.router.Handle(r);
  CHECK(response.status == 200);
  CHECK(response.body.find("ok") != std::string::npos);
}

TEST_CASE("router: healthz is answered on the I/O thread only while the store's check is fresh") {
  Fixture f;
  HttpRequest health;
  health.method = "GET";
  health.target = "/healthz";
  // Never checked yet: the I/O thread passes it on, and a worker checks the store.
  CHECK_FALSE(f.router.AnswerQuickly(health).has_value());
  CHECK(f.router.Handle(health).status == 200);
  auto quick = f.router.AnswerQuickly(health);
  REQUIRE(quick.has_value());
  CHECK(quick->status == 200);
  CHECK(quick->body == R"({"status":"ok"})");
  // Nothing else is ever answered without a worker.
  HttpRequest other = health;
  other.target = "/v1/ca";
  CHECK_FALSE(f.router.AnswerQuickly(other).has_value());
  HttpRequest post = health;
  post.method = "POST";
  CHECK_FALSE(f.router.AnswerQuickly(post).has_value());
  // Both paths are counted.
  HttpRequest metrics;
  metrics.method = "GET";
  metrics.target = "/metrics";
  CHECK(f.router.Handle(metrics).body.find(
            "tributary_http_requests_total{route=\"/healthz\",status=\"200\"} 2") !=
        std::string::npos);
}

TEST_CASE("router: unknown route is 404, wrong method 405") {
  Fixture f;
  CHECK(f.Post("/v1/nope", "").status == 404);
  HttpRequest r;
  r.method = "GET";
  r.target = "/v1/sync/push";
  auto response = f.router.Handle(r);
  CHECK(response.status == 405);
  CHECK(ErrorCodeOf(response) == "method_not_allowed");
}

TEST_CASE("router: enrolment issues a certificate naming the token's practice") {
  Fixture f;
  PeerCertificate peer = f.EnrolAgent("T01100");
  CHECK(peer.common_name == "T01100");
}

TEST_CASE("router: a replayed token is refused") {
  Fixture f;
  NewToken token = f.enrolment.CreateToken("T01100", std::chrono::hours(1));
  std::string key = pki::GeneratePrivateKeyPem();
  std::string body =
      protocol::Encode(protocol::EnrolRequest{token.token, pki::MakeCsrPem(key, "a"), ""});
  CHECK(f.Post("/v1/enrol", body).status == 200);
  auto replay = f.Post("/v1/enrol", body);
  CHECK(replay.status == 401);
  CHECK(replay.body.find("already been used") != std::string::npos);
}

TEST_CASE("router: an expired token is refused") {
  Fixture f;
  NewToken token = f.enrolment.CreateToken("T01100", std::chrono::seconds(60));
  f.clock.Advance(61'000);
  std::string key = pki::GeneratePrivateKeyPem();
  auto response =
      f.Post("/v1/enrol",
             protocol::Encode(protocol::EnrolRequest{token.token, pki::MakeCsrPem(key, "a"), ""}));
  CHECK(response.status == 401);
  CHECK(response.body.find("expired") != std::string::npos);
}

TEST_CASE("router: a malformed CSR is refused as bad input") {
  Fixture f;
  NewToken token = f.enrolment.CreateToken("T01100", std::chrono::hours(1));
  auto response =
      f.Post("/v1/enrol", protocol::Encode(protocol::EnrolRequest{token.token, "garbage", ""}));
  CHECK(response.status == 400);
}

TEST_CASE("router: push without a client certificate is 401") {
  Fixture f;
  auto response = f.Post("/v1/sync/push", ListSizeBatch(1));
  CHECK(response.status == 401);
  CHECK(ErrorCodeOf(response) == "client_certificate_required");
}

TEST_CASE("router: push with a certificate the store does not know is 401") {
  Fixture f;
  auto response =
      f.Post("/v1/sync/push", ListSizeBatch(1), PeerCertificate{"T01100", "deadbeef", {}});
  CHECK(ErrorCodeOf(response) == "unknown_certificate");
}

TEST_CASE("router: a compressed push is accepted and acknowledged") {
  Fixture f;
  PeerCertificate peer = f.EnrolAgent("T01100");
  auto response = f.Post("/v1/sync/push", protocol::Compress(ListSizeBatch(1)), peer,
                         {{"content-encoding", "zstd"}});
  REQUIRE(response.status == 200);
  auto reply = protocol::DecodePushReply(response.body);
  REQUIRE(reply.ok());
  CHECK(reply.value().acknowledged_seq == 1);
}

TEST_CASE("router: push for another practice is 403") {
  Fixture f;
  PeerCertificate peer = f.EnrolAgent("T01100");
  auto response = f.Post("/v1/sync/push", ListSizeBatch(1, "T01113"), peer);
  CHECK(response.status == 403);
  CHECK(RecordReadings(f.store).CountRecords("T01113", "list_size") == 0);
}

TEST_CASE("router: a gap is 409 with resume_from") {
  Fixture f;
  PeerCertificate peer = f.EnrolAgent("T01100");
  auto response = f.Post("/v1/sync/push", ListSizeBatch(3), peer);
  CHECK(response.status == 409);
  auto e = protocol::DecodeErrorReply(response.body);
  REQUIRE(e.ok());
  CHECK(e.value().code == "sequence_gap");
  CHECK(e.value().resume_from == 1u);
}

TEST_CASE(
    "router: an agent's refusal is a problem document that repeats it as 1.0's error object") {
  Fixture f;
  PeerCertificate peer = f.EnrolAgent("T01100");
  auto response = f.Post("/v1/sync/push", ListSizeBatch(3), peer);
  REQUIRE(ErrorCodeOf(response) == "sequence_gap");
  boost::json::object body = boost::json::parse(response.body).as_object();
  CHECK(body.at("title") == "Conflict");
  CHECK(body.at("resume_from") == 1);
  CHECK(body.at("v") == "1.0");
  CHECK(body.at("error").at("code") == "sequence_gap");
  CHECK(body.at("error").at("message") == body.at("detail"));
  CHECK(body.at("error").at("resume_from") == 1);
}

TEST_CASE("router: a person's refusal is a plain problem document, without the agents' object") {
  Fixture f;
  auto response = f.Call("", "GET", "/v1/rollups");
  REQUIRE(ErrorCodeOf(response) == "unauthorized");
  boost::json::object body = boost::json::parse(response.body).as_object();
  CHECK(body.at("title") == "Unauthorized");
  CHECK(body.at("status") == 401);
  CHECK_FALSE(body.contains("v"));
  CHECK_FALSE(body.contains("error"));
  response = f.Call("", "GET", "/v1/nothing-here");
  CHECK(ErrorCodeOf(response) == "not_found");
}

TEST_CASE("router: a detail quoting bytes that are not UTF-8 is still JSON, with U+FFFD for them") {
  HttpResponse response =
      ErrorResponse(400, "malformed", std::string("bad \xff\xfe and \xe2\x82 end \xc3\xa9"));
  boost::json::value body = boost::json::parse(response.body);  // throws if not JSON
  CHECK(body.at("detail") ==
        "bad \xEF\xBF\xBD\xEF\xBF\xBD and \xEF\xBF\xBD\xEF\xBF\xBD end \xc3\xa9");
  HttpResponse agents = WithProtocolErrorObject(response);
  CHECK(boost::json::parse(agents.body).at("error").at("message") == body.at("detail"));
}

TEST_CASE("router: malformed, oversized and wrongly encoded bodies are refused clearly") {
  Fixture f;
  PeerCertificate peer = f.EnrolAgent("T01100");
  CHECK(ErrorCodeOf(f.Post("/v1/sync/push", "{oops", peer)) == "malformed");
  CHECK(ErrorCodeOf(f.Post("/v1/sync/push", "xx", peer, {{"content-encoding", "zstd"}})) ==
        "bad_encoding");
  CHECK(f.Post("/v1/sync/push", "{}", peer, {{"content-encoding", "br"}}).status == 415);
  auto v2 = f.Post("/v1/sync/push", R"({"v":"2.0"})", peer);
  CHECK(v2.status == 400);
  CHECK(ErrorCodeOf(v2) == "unsupported_version");

  RouterLimits small;
  small.decode.max_message_bytes = 50;
  Router strict(f.store, f.enrolment, f.ingest, f.person_keys, f.findings, f.assets, small);
  HttpRequest r;
  r.method = "POST";
  r.target = "/v1/sync/push";
  r.peer = peer;
  r.body = ListSizeBatch(1);
  auto too_big = strict.Handle(r);
  CHECK(too_big.status == 413);
  CHECK(ErrorCodeOf(too_big) == "too_large");
}

namespace {

HttpResponse GetWith(Router& router, const std::string& target,
                     std::optional<PeerCertificate> peer) {
  HttpRequest request;
  request.method = "GET";
  request.target = target;
  request.peer = std::move(peer);
  return router.Handle(request);
}

}  // namespace

TEST_CASE("router: pull gives the practice its own notices, in pages, from its cursor") {
  Fixture f;
  PeerCertificate mine = f.EnrolAgent("T01100");
  f.EnrolAgent("T01113");
  {
    // 1,500 notices for T01100 and some for another practice, written as the
    // store writes them.
    auto db = tributary::testing::OpenTestStore(f.dir);
    db::Transaction txn(*db);
    auto insert = db->Prepare(
        "INSERT INTO practice_feed (practice, kind, fields, at_ms) VALUES (?, 'return', ?, 0)");
    for (int i = 1; i <= 1600; ++i) {
      insert.Bind(1, std::string(i % 16 == 0 ? "T01113" : "T01100"));
      insert.Bind(2, R"({"n":")" + std::to_string(i) + R"("})");
      insert.Run();
    }
    txn.Commit();
  }
  std::uint64_t cursor = 0;
  std::vector<std::string> seen;
  int pages = 0;
  for (;;) {
    HttpResponse r = GetWith(f.router, "/v1/sync/pull?cursor=" + std::to_string(cursor), mine);
    REQUIRE(r.status == 200);
    auto reply = protocol::DecodePullReply(r.body);
    REQUIRE(reply.ok());
    for (const auto& n : reply.value().notices) seen.push_back(n.fields.at("n"));
    cursor = reply.value().cursor;
    ++pages;
    if (!reply.value().more) break;
  }
  CHECK(pages == 2);
  CHECK(seen.size() == 1500);
  for (const std::string& n : seen) CHECK(std::stoi(n) % 16 != 0);
  // From the end, nothing more; the same cursor again gives the same answer.
  HttpResponse end = GetWith(f.router, "/v1/sync/pull?cursor=" + std::to_string(cursor), mine);
  auto last = protocol::DecodePullReply(end.body).value();
  CHECK(last.notices.empty());
  CHECK(last.cursor == cursor);
  CHECK(last.acknowledged_seq == std::uint64_t{0});  // this agent has pushed nothing
  // Past every notice issued (the server was restored from an older backup):
  // told where the notices end, for every practice's ids, not only these.
  HttpResponse ahead =
      GetWith(f.router, "/v1/sync/pull?cursor=" + std::to_string(cursor + 500), mine);
  auto rewound = protocol::DecodePullReply(ahead.body).value();
  CHECK(rewound.notices.empty());
  CHECK(rewound.cursor >= cursor);
  CHECK(rewound.cursor < cursor + 500);
}

TEST_CASE("router: pull without a certificate is 401, with a bad cursor 400") {
  Fixture f;
  PeerCertificate mine = f.EnrolAgent("T01100");
  CHECK(GetWith(f.router, "/v1/sync/pull?cursor=0", std::nullopt).status == 401);
  for (const char* target : {"/v1/sync/pull", "/v1/sync/pull?cursor=-1", "/v1/sync/pull?cursor=x",
                             "/v1/sync/pull?cursor=1&cursor=2", "/v1/sync/pull?cursor=1&all=1",
                             "/v1/sync/pull?cursor=99999999999999999999"}) {
    INFO(target);
    CHECK(GetWith(f.router, target, mine).status == 400);
  }
  HttpRequest post;
  post.method = "POST";
  post.target = "/v1/sync/pull?cursor=0";
  post.peer = mine;
  CHECK(f.router.Handle(post).status == 405);
}

TEST_CASE("router: /metrics counts requests by route and status, ingests, agents and expiry") {
  Fixture f;
  PeerCertificate peer = f.EnrolAgent("T01100");
  REQUIRE(f.Post("/v1/sync/push", ListSizeBatch(1), peer).status == 200);
  REQUIRE(f.Post("/v1/sync/push", ListSizeBatch(5), peer).status == 409);  // a gap
  f.Post("/v1/no/such/path", "");
  f.Post("/v1/sync/push/123456", "");  // not a route: counted as "other", not by its path
  HttpRequest scrape;
  scrape.method = "GET";
  scrape.target = "/metrics";
  HttpResponse metrics = f.router.Handle(scrape);
  REQUIRE(metrics.status == 200);
  CHECK(metrics.content_type == "text/plain; version=0.0.4");
  const std::string& text = metrics.body;
  INFO(text);
  CHECK(text.find("tributary_http_requests_total{route=\"/v1/enrol\",status=\"200\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("tributary_http_requests_total{route=\"/v1/sync/push\",status=\"200\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("tributary_http_requests_total{route=\"/v1/sync/push\",status=\"409\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("tributary_http_requests_total{route=\"other\",status=\"404\"} 2\n") !=
        std::string::npos);
  CHECK(text.find("tributary_changes_ingested_total 1\n") != std::string::npos);
  CHECK(text.find("tributary_push_batch_seconds_count 2\n") != std::string::npos);
  CHECK(text.find("tributary_push_batch_seconds_bucket{le=\"+Inf\"} 2\n") != std::string::npos);
  CHECK(text.find("tributary_agents{state=\"enrolled\"} 1\n") != std::string::npos);
  CHECK(text.find("tributary_agents_seen{within=\"1h\"} 1\n") != std::string::npos);
  // A certificate far from its end is not counted; ten days before, it is.
  f.clock.Set(
      std::chrono::duration_cast<std::chrono::milliseconds>(peer.not_after.time_since_epoch())
          .count() -
      std::int64_t{30} * 86'400'000);
  CHECK(f.router.Handle(scrape).body.find("tributary_certificates_expiring 0\n") !=
        std::string::npos);
  f.clock.Advance(std::int64_t{20} * 86'400'000);
  CHECK(f.router.Handle(scrape).body.find("tributary_certificates_expiring 1\n") !=
        std::string::npos);
}

TEST_CASE("router: person keys are evaluated for an enrolled agent and unblind consistently") {
  Fixture f;
  PeerCertificate peer = f.EnrolAgent("T01100");
  auto key_of = [&f, &peer](const std::string& identity) {
    oprf::BlindedInput blinded = oprf::Blind(identity);
    HttpResponse response =
        f.Post("/v1/person-keys",
               protocol::Encode(protocol::PersonKeyRequest{{oprf::ToHex(blinded.element)}}), peer);
    REQUIRE(response.status == 200);
    auto reply = protocol::DecodePersonKeyReply(response.body);
    REQUIRE(reply.ok());
    REQUIRE(reply.value().evaluated.size() == 1);
    return oprf::Finalize(identity, blinded.blind,
                          oprf::ElementFromHex(reply.value().evaluated[0]));
  };
  // Blinded afresh each time, the same person gets the same key.
  CHECK(key_of("GMC:1234567") == key_of("GMC:1234567"));
  CHECK(key_of("GMC:1234567") != key_of("GMC:7654321"));
}

TEST_CASE("router: person keys are refused without a certificate, or for what is not an element") {
  Fixture f;
  std::string body = protocol::Encode(protocol::PersonKeyRequest{{std::string(64, 'a')}});
  HttpResponse anonymous = f.Post("/v1/person-keys", body);
  CHECK(anonymous.status == 401);
  PeerCertificate peer = f.EnrolAgent("T01100");
  oprf::Element not_a_point{};
  not_a_point.fill(0xff);
  HttpResponse bad =
      f.Post("/v1/person-keys",
             protocol::Encode(protocol::PersonKeyRequest{{oprf::ToHex(not_a_point)}}), peer);
  CHECK(bad.status == 400);
  CHECK(ErrorCodeOf(bad) == "invalid_input");
  HttpResponse malformed = f.Post("/v1/person-keys", "{\"v\":\"1.0\",\"blinded\":[\"zz\"]}", peer);
  CHECK(malformed.status == 400);
  CHECK(f.Post("/v1/person-keys", "{\"v\":\"1.0\"}", peer).status == 400);
}
