// The codec's tests read as a list of the ways a message can be wrong.
#include "tributary/protocol/codec.h"

#include <catch2/catch.hpp>
#include <limits>

#include "tributary/common/signing.h"
#include "tributary/protocol/receipt.h"

using namespace tributary;
using namespace tributary::protocol;

namespace {

PushBatch SampleBatch() {
  PushBatch b;
  b.practice = "T01100";
  b.from_seq = 5;
  b.to_seq = 6;
  Change upsert;
  upsert.seq = 5;
  upsert.dataset = "list_size";
  upsert.key = "2026-08-01|T01100";
  upsert.version = 123456789012345ULL;
  upsert.fields = {{"extract_date", "2026-08-01"}, {"practice", "T01100"}, {"patients", "6613"}};
  Change remove;
  remove.seq = 6;
  remove.dataset = "list_size";
  remove.key = "2026-07-01|T01100";
  remove.op = ChangeOp::kDelete;
  remove.version = 123456789012346ULL;
  remove.base_version = 99;
  b.changes = {upsert, remove};
  return b;
}

DecodeErrorCode CodeOf(std::string_view text) {
  auto d = DecodePushBatch(text);
  REQUIRE_FALSE(d.ok());
  return d.error().code;
}

}  // namespace

TEST_CASE("codec: a push batch round-trips exactly") {
  PushBatch b = SampleBatch();
  auto d = DecodePushBatch(Encode(b));
  REQUIRE(d.ok());
  const PushBatch& r = d.value();
  CHECK(r.practice == "T01100");
  CHECK(r.from_seq == 5);
  CHECK(r.to_seq == 6);
  REQUIRE(r.changes.size() == 2);
  CHECK(r.changes[0].fields == b.changes[0].fields);
  CHECK(r.changes[0].version == 123456789012345ULL);
  CHECK(r.changes[1].op == ChangeOp::kDelete);
  CHECK(r.changes[1].base_version == 99);
}

TEST_CASE("codec: person-key requests and replies round-trip; anything but elements is refused") {
  PersonKeyRequest request{{std::string(64, 'a'), std::string(64, '0')}};
  auto decoded = DecodePersonKeyRequest(Encode(request));
  REQUIRE(decoded.ok());
  CHECK(decoded.value().blinded == request.blinded);
  auto reply = DecodePersonKeyReply(Encode(PersonKeyReply{{std::string(64, 'b')}}));
  REQUIRE(reply.ok());
  CHECK(reply.value().evaluated == std::vector<std::string>{std::string(64, 'b')});
  for (const std::string& bad :
       {std::string(63, 'a'), std::string(64, 'A'), std::string(64, 'g')}) {
    auto refused = DecodePersonKeyRequest(Encode(PersonKeyRequest{{bad}}));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == DecodeErrorCode::kInvalidValue);
    CHECK(refused.error().field == "blinded[0]");
  }
  PersonKeyRequest too_many;
  too_many.blinded.assign(kMaxPersonKeysPerRequest + 1, std::string(64, 'a'));
  auto over = DecodePersonKeyRequest(Encode(too_many));
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().code == DecodeErrorCode::kTooLarge);
}

TEST_CASE("codec: a push reply's receipt round-trips, and its signature holds only unchanged") {
  signing::SigningKey key = signing::SigningKey::Generate();
  PushBatch batch;
  batch.practice = "T01100";
  batch.from_seq = 3;
  batch.to_seq = 3;
  Change c;
  c.seq = 3;
  c.dataset = "list_size";
  c.key = "2026-08-01|T01100";
  c.version = 7;
  c.fields = {{"extract_date", "2026-08-01"}, {"practice", "T01100"}, {"patients", "6600"}};
  batch.changes = {c};
  Receipt r{"T01100", 3, 3, 3, BatchSha256(batch), 1790000000000, key.PublicKeyHex(), ""};
  r.signature = key.Sign(ReceiptText(r));
  PushReply reply;
  reply.acknowledged_seq = 3;
  reply.receipt = r;
  auto decoded = DecodePushReply(Encode(reply));
  REQUIRE(decoded.ok());
  REQUIRE(decoded.value().receipt);
  const Receipt& back = *decoded.value().receipt;
  CHECK(ReceiptText(back) == ReceiptText(r));
  CHECK(SignatureHolds(back));
  // The batch decoded and encoded again hashes as sent.
  CHECK(BatchSha256(DecodePushBatch(Encode(batch)).value()) == r.changes_sha256);
  Receipt forged = back;
  forged.acknowledged_seq = 4;
  CHECK_FALSE(SignatureHolds(forged));
  Receipt other_key = back;
  other_key.public_key = signing::SigningKey::Generate().PublicKeyHex();
  CHECK_FALSE(SignatureHolds(other_key));
}

TEST_CASE("codec: enrol request and reply, push reply and error round-trip") {
  auto req = DecodeEnrolRequest(Encode(EnrolRequest{"tok", "CSR", "0.1.0"}));
  REQUIRE(req.ok());
  CHECK(req.value().csr_pem == "CSR");
  auto rep = DecodeEnrolReply(Encode(EnrolReply{"T01100", "CERT", "CA", "ab12"}));
  REQUIRE(rep.ok());
  CHECK(rep.value().ca_certificate_pem == "CA");
  CHECK(rep.value().signing_public_key == "ab12");
  // No secret of the ICS travels with an identity any more.
  CHECK(Encode(EnrolReply{"T01100", "CERT", "CA", "ab12"}).find("secret") == std::string::npos);
  PushReply pr;
  pr.acknowledged_seq = 9;
  pr.accepted = 1;
  pr.outcomes = {{8, Outcome::kInvalid, {{"count", "is required"}}}};
  auto prd = DecodePushReply(Encode(pr));
  REQUIRE(prd.ok());
  CHECK(prd.value().outcomes.at(0).reasons.at(0).field == "count");
  auto err = DecodeErrorReply(Encode(ErrorReply{"sequence_gap", "send 4", 4}));
  REQUIRE(err.ok());
  CHECK(err.value().resume_from == 4u);
}

TEST_CASE("codec: an error reply is read from a problem document, or from 1.0's error object") {
  auto problem = DecodeErrorReply(
      R"({"v":"1.0","type":"urn:tributary:problem:sequence_gap","title":"Conflict","status":409,)"
      R"("detail":"send from seq 5","code":"sequence_gap","resume_from":5,)"
      R"("error":{"code":"stale","message":"old words","resume_from":2}})");
  REQUIRE(problem.ok());
  CHECK(problem.value().code == "sequence_gap");  // the problem's own members win
  CHECK(problem.value().message == "send from seq 5");
  CHECK(problem.value().resume_from == 5u);
  auto old = DecodeErrorReply(R"({"v":"1.0","error":{"code":"busy","message":"later"}})");
  REQUIRE(old.ok());
  CHECK(old.value().code == "busy");
  CHECK_FALSE(old.value().resume_from);
  auto no_detail = DecodeErrorReply(R"({"v":"1.0","code":"busy","status":429})");
  REQUIRE_FALSE(no_detail.ok());
  CHECK(no_detail.error().field == "detail");
}

TEST_CASE("codec: not JSON") { CHECK(CodeOf("{not json") == DecodeErrorCode::kMalformed); }

TEST_CASE("codec: JSON but not an object") {
  CHECK(CodeOf("[1,2,3]") == DecodeErrorCode::kWrongType);
}

TEST_CASE("codec: empty input") { CHECK(CodeOf("") == DecodeErrorCode::kMalformed); }

TEST_CASE("codec: missing protocol version") {
  CHECK(CodeOf(R"({"practice":"T01100"})") == DecodeErrorCode::kUnsupportedVersion);
}

TEST_CASE("codec: unknown major version is refused clearly") {
  auto d = DecodePushBatch(R"({"v":"2.0","practice":"T01100"})");
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == DecodeErrorCode::kUnsupportedVersion);
  CHECK(d.error().message.find("2.0") != std::string::npos);
}

TEST_CASE("codec: a newer minor version with extra fields is accepted") {
  std::string text = Encode(SampleBatch());
  text.replace(text.find("\"1.0\""), 5, "\"1.7\"");
  text.insert(1, R"("future_field":true,)");
  CHECK(DecodePushBatch(text).ok());
}

TEST_CASE("codec: version of the wrong type") {
  CHECK(CodeOf(R"({"v":1})") == DecodeErrorCode::kWrongType);
}

TEST_CASE("codec: missing field names its path") {
  std::string text = Encode(SampleBatch());
  text.erase(text.find(R"("dataset":"list_size",)"), 22);
  auto d = DecodePushBatch(text);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == DecodeErrorCode::kMissingField);
  CHECK(d.error().field == "changes[0].dataset");
}

TEST_CASE("codec: seq of the wrong type") {
  auto d =
      DecodePushBatch(R"({"v":"1.0","practice":"T01100","from_seq":"1","to_seq":1,"changes":[]})");
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == DecodeErrorCode::kWrongType);
  CHECK(d.error().field == "from_seq");
}

TEST_CASE("codec: negative seq") {
  CHECK(CodeOf(R"({"v":"1.0","practice":"T01100","from_seq":-1,"to_seq":1,"changes":[]})") ==
        DecodeErrorCode::kInvalidValue);
}

TEST_CASE("codec: seq zero") {
  CHECK(CodeOf(R"({"v":"1.0","practice":"T01100","from_seq":0,"to_seq":0,"changes":[{}]})") ==
        DecodeErrorCode::kInvalidValue);
}

TEST_CASE("codec: to_seq before from_seq") {
  CHECK(CodeOf(R"({"v":"1.0","practice":"T01100","from_seq":3,"to_seq":2,"changes":[]})") ==
        DecodeErrorCode::kInvalidValue);
}

TEST_CASE("codec: change count disagrees with the seq range") {
  PushBatch b = SampleBatch();
  b.to_seq = 7;
  CHECK(CodeOf(Encode(b)) == DecodeErrorCode::kInvalidValue);
}

TEST_CASE("codec: changes not consecutive") {
  PushBatch b = SampleBatch();
  b.changes[1].seq = 9;
  auto d = DecodePushBatch(Encode(b));
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().field == "changes[1].seq");
}

TEST_CASE("codec: unknown op") {
  std::string text = Encode(SampleBatch());
  text.replace(text.find("\"delete\""), 8, "\"merge\"");
  CHECK(CodeOf(text) == DecodeErrorCode::kInvalidValue);
}

TEST_CASE("codec: field value that is not a string") {
  std::string text = Encode(SampleBatch());
  text.replace(text.find("\"6613\""), 6, "6613");
  auto d = DecodePushBatch(text);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == DecodeErrorCode::kWrongType);
  CHECK(d.error().field == "changes[0].fields.patients");
}

TEST_CASE("codec: oversize message") {
  DecodeLimits limits;
  limits.max_message_bytes = 100;
  auto d = DecodePushBatch(Encode(SampleBatch()), limits);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == DecodeErrorCode::kTooLarge);
}

TEST_CASE("codec: too many changes") {
  DecodeLimits limits;
  limits.max_changes = 1;
  auto d = DecodePushBatch(Encode(SampleBatch()), limits);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == DecodeErrorCode::kTooLarge);
}

TEST_CASE("codec: oversize string") {
  DecodeLimits limits;
  limits.max_string_bytes = 4;
  auto d = DecodePushBatch(Encode(SampleBatch()), limits);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == DecodeErrorCode::kTooLarge);
}

TEST_CASE("codec: nesting too deep") {
  std::string deep = R"({"v":"1.0","x":)" + std::string(200, '[') + std::string(200, ']') + "}";
  CHECK(CodeOf(deep) == DecodeErrorCode::kMalformed);
}

TEST_CASE("codec: empty enrolment token") {
  auto d = DecodeEnrolRequest(R"({"v":"1.0","token":"","csr":"x"})");
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().field == "token");
}

TEST_CASE("codec: every truncation of a valid message is refused, never a crash") {
  std::string text = Encode(SampleBatch());
  for (std::size_t n = 0; n < text.size(); ++n) {
    CHECK_FALSE(DecodePushBatch(std::string_view(text).substr(0, n)).ok());
  }
}

namespace {

constexpr const char* kPull =
    R"({"v":"1.0","notices":[{"id":4,"kind":"return","fields":{"state":"queried"}},)"
    R"({"id":9,"kind":"hierarchy","fields":{"pcn":"U10010"}}],"cursor":9,"more":false})";

DecodeErrorCode PullCodeOf(std::string_view text) {
  auto d = DecodePullReply(text);
  REQUIRE_FALSE(d.ok());
  return d.error().code;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

}  // namespace

TEST_CASE("codec: a pull reply round-trips exactly") {
  PullReply m;
  m.notices = {{3, "return", {{"dataset", "workforce"}, {"state", "queried"}}},
               {7, "a kind from the future", {}}};
  m.cursor = 7;
  m.more = true;
  auto d = DecodePullReply(Encode(m));
  REQUIRE(d.ok());
  CHECK(d.value().cursor == 7);
  CHECK(d.value().more);
  REQUIRE(d.value().notices.size() == 2);
  CHECK(d.value().notices[0].fields == m.notices[0].fields);
  CHECK(d.value().notices[1].kind == "a kind from the future");
  CHECK_FALSE(d.value().acknowledged_seq);  // an older server's reply has none
  CHECK(DecodePullReply(kPull).ok());
  m.acknowledged_seq = std::numeric_limits<std::uint64_t>::max();
  auto with_mark = DecodePullReply(Encode(m));
  REQUIRE(with_mark.ok());
  CHECK(with_mark.value().acknowledged_seq == m.acknowledged_seq);
}

TEST_CASE("codec: pull notices out of order") {
  CHECK(PullCodeOf(Replace(kPull, R"("id":9)", R"("id":4)")) == DecodeErrorCode::kInvalidValue);
}

TEST_CASE("codec: pull cursor behind its own notices") {
  CHECK(PullCodeOf(Replace(kPull, R"("cursor":9)", R"("cursor":5)")) ==
        DecodeErrorCode::kInvalidValue);
}

TEST_CASE("codec: pull 'more' that is not a boolean") {
  CHECK(PullCodeOf(Replace(kPull, R"("more":false)", R"("more":"no")")) ==
        DecodeErrorCode::kWrongType);
}

TEST_CASE("codec: pull notice without fields") {
  CHECK(PullCodeOf(Replace(kPull, R"(,"fields":{"pcn":"U10010"})", "")) ==
        DecodeErrorCode::kMissingField);
}

TEST_CASE("codec: renewal and heartbeat round-trip") {
  RenewRequest renew{"-----BEGIN CERTIFICATE REQUEST-----\n...", "0.1.0"};
  auto renew_back = DecodeRenewRequest(Encode(renew));
  REQUIRE(renew_back.ok());
  CHECK(renew_back.value().csr_pem == renew.csr_pem);
  CHECK(renew_back.value().agent_version == "0.1.0");
  auto renewed = DecodeRenewReply(Encode(RenewReply{"PEM", 1'800'000'000'000}));
  REQUIRE(renewed.ok());
  CHECK(renewed.value().not_after_ms == 1'800'000'000'000);

  Heartbeat h;
  h.agent_version = "0.1.0";
  h.queue_depth = 12;
  h.last_seq = 40;
  h.store_bytes = 1 << 20;
  h.agent_time_ms = 1'790'000'000'000;
  h.certificate_not_after_ms = 1'800'000'000'000;
  h.last_error = "network: connection refused";
  h.imports_paused = true;
  auto back = DecodeHeartbeat(Encode(h));
  REQUIRE(back.ok());
  CHECK(back.value().queue_depth == 12);
  CHECK(back.value().last_seq == 40);
  CHECK(back.value().store_bytes == 1 << 20);
  CHECK(back.value().agent_time_ms == h.agent_time_ms);
  CHECK(back.value().certificate_not_after_ms == h.certificate_not_after_ms);
  CHECK(back.value().last_error == h.last_error);
  CHECK(back.value().imports_paused);
  auto missing = DecodeHeartbeat(R"({"v":"1.0","queue_depth":-1})");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().field == "queue_depth");
  CHECK(back.value().trusted_ca_sha256.empty());  // an agent from before CA rollovers

  h.trusted_ca_sha256 = {std::string(64, 'a'), std::string(64, 'b')};
  auto trusting = DecodeHeartbeat(Encode(h));
  REQUIRE(trusting.ok());
  CHECK(trusting.value().trusted_ca_sha256 == h.trusted_ca_sha256);
  h.trusted_ca_sha256 = {"not a digest"};
  auto bad = DecodeHeartbeat(Encode(h));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().field == "trusted_ca_sha256[0]");
  h.trusted_ca_sha256.assign(kMaxTrustedCas + 1, std::string(64, 'c'));
  CHECK_FALSE(DecodeHeartbeat(Encode(h)).ok());

  auto plain_reply = DecodeHeartbeatReply(Encode(HeartbeatReply{5, ""}));
  REQUIRE(plain_reply.ok());
  CHECK(plain_reply.value().ca_certificates_pem.empty());
  auto reply = DecodeHeartbeatReply(Encode(HeartbeatReply{5, "PEM\nPEM"}));
  REQUIRE(reply.ok());
  CHECK(reply.value().ca_certificates_pem == "PEM\nPEM");
}
