// Agents' certificates have lifecycles: a renewed certificate's first use
// retires the previous ones an hour later (refused, and on the CA's
// revocation list); an agent renews at most once a day.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "audit/audit_service.h"
#include "enrol/agent_service.h"
#include "http/error_response.h"
#include "server_fixture.h"
#include "tributary/common/pki.h"
#include "tributary/protocol/codec.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;

namespace {

constexpr std::int64_t kHourMs = 3'600'000;

struct Fixture : ServerFixture {
  HttpResponse Post(const std::string& target, const std::string& body,
                    const std::optional<PeerCertificate>& peer) {
    HttpRequest request;
    request.method = "POST";
    request.target = target;
    request.body = body;
    request.peer = peer;
    return router.Handle(request);
  }

  static PeerCertificate PeerOf(const std::string& certificate_pem) {
    pki::CertificateInfo info = pki::ReadCertificate(certificate_pem);
    return PeerCertificate{info.common_name, info.serial_hex, info.not_after};
  }

  PeerCertificate Enrol(const std::string& practice) {
    NewToken token = enrolment.CreateToken(practice, std::chrono::hours(1));
    protocol::EnrolRequest request{token.token,
                                   pki::MakeCsrPem(pki::GeneratePrivateKeyPem(), "agent"), "test"};
    HttpResponse response = Post("/v1/enrol", protocol::Encode(request), std::nullopt);
    REQUIRE(response.status == 200);
    auto reply = protocol::DecodeEnrolReply(response.body);
    REQUIRE(reply.ok());
    return PeerOf(reply.value().certificate_pem);
  }

  HttpResponse RenewWith(const PeerCertificate& peer) {
    protocol::RenewRequest request;
    request.csr_pem = pki::MakeCsrPem(pki::GeneratePrivateKeyPem(), "agent");
    request.agent_version = "test";
    return Post("/v1/renew", protocol::Encode(request), peer);
  }

  PeerCertificate Renew(const PeerCertificate& peer) {
    HttpResponse response = RenewWith(peer);
    INFO(response.body);
    REQUIRE(response.status == 200);
    auto reply = protocol::DecodeRenewReply(response.body);
    REQUIRE(reply.ok());
    return PeerOf(reply.value().certificate_pem);
  }

  // A heartbeat: the cheapest request an agent makes with its certificate.
  HttpResponse Beat(const PeerCertificate& peer) {
    protocol::Heartbeat h;
    h.agent_version = "test";
    h.agent_time_ms = static_cast<std::uint64_t>(clock.NowMillis());
    return Post("/v1/agent/heartbeat", protocol::Encode(h), peer);
  }

  std::set<std::string> RevocationListSerials() {
    std::set<std::string> serials;
    for (const pki::RevokedCertificate& r : AgentService(store).RevokedCertificates())
      serials.insert(r.serial_hex);
    return serials;
  }

  std::vector<std::string> AuditActions() {
    std::vector<std::string> actions;
    for (const AuditEntry& e : AuditService(store).Entries()) actions.push_back(e.action);
    return actions;
  }
};

std::string RetryAfter(const HttpResponse& response) {
  for (const auto& [name, value] : response.headers)
    if (name == "Retry-After") return value;
  return "";
}

}  // namespace

TEST_CASE("certificates: the previous one works until an hour after the renewed one is used") {
  Fixture f;
  PeerCertificate first = f.Enrol("T01100");
  REQUIRE(f.Beat(first).status == 200);
  PeerCertificate second = f.Renew(first);

  // Renewed but not yet used (its reply may have been lost): the first goes on.
  f.clock.Advance(5 * kHourMs);
  CHECK(f.Beat(first).status == 200);

  // The renewed one is used: the first still works for the overlap...
  REQUIRE(f.Beat(second).status == 200);
  f.clock.Advance(kHourMs - 1);
  CHECK(f.Beat(first).status == 200);
  CHECK(f.RevocationListSerials().empty());

  // ...and not a moment after: refused on every route, and on the CA's list.
  f.clock.Advance(1);
  HttpResponse refused = f.Beat(first);
  CHECK(refused.status == 401);
  CHECK(ErrorCodeOf(refused) == "certificate_retired");
  CHECK(ErrorCodeOf(f.Post("/v1/sync/push", "{}", first)) == "certificate_retired");
  CHECK(ErrorCodeOf(f.RenewWith(first)) == "certificate_retired");
  CHECK(f.RevocationListSerials() == std::set<std::string>{first.serial_hex});
  CHECK(f.Beat(second).status == 200);

  // The retirement is in the audit log, once.
  std::vector<std::string> actions = f.AuditActions();
  CHECK(std::count(actions.begin(), actions.end(), "certificate_retire") == 1);
}

TEST_CASE("certificates: an older certificate used again retires nothing newer") {
  Fixture f;
  PeerCertificate first = f.Enrol("T01100");
  PeerCertificate second = f.Renew(first);
  REQUIRE(f.Beat(second).status == 200);
  f.clock.Advance(kHourMs / 2);
  REQUIRE(f.Beat(first).status == 200);  // first use of the first: still in its overlap
  f.clock.Advance(kHourMs);
  CHECK(f.Beat(second).status == 200);
  CHECK(ErrorCodeOf(f.Beat(first)) == "certificate_retired");
}

TEST_CASE("certificates: an agent renews at most once a day, told when it may again") {
  Fixture f;
  PeerCertificate first = f.Enrol("T01100");
  PeerCertificate second = f.Renew(first);  // enrolment does not count
  f.clock.Advance(2 * kHourMs);
  HttpResponse soon = f.RenewWith(second);
  CHECK(soon.status == 429);
  CHECK(ErrorCodeOf(soon) == "renewal_too_soon");
  CHECK(RetryAfter(soon) == std::to_string(22 * 3600));
  // Refused before anything was issued: still two certificates.
  auto db = tributary::testing::OpenTestStore(f.dir);
  auto count = db->Prepare("SELECT count(*) FROM certificates");
  REQUIRE(count.Step());
  CHECK(count.ColumnInt(0) == 2);

  f.clock.Advance(22 * kHourMs);
  PeerCertificate third = f.Renew(second);
  CHECK(third.serial_hex != second.serial_hex);
}

TEST_CASE(
    "certificates: a revoked agent's certificates are refused as revoked, whatever their age") {
  Fixture f;
  PeerCertificate first = f.Enrol("T01100");
  PeerCertificate second = f.Renew(first);
  REQUIRE(f.Beat(second).status == 200);
  REQUIRE(AgentService(f.store).Revoke("T01100", "test") == 1);
  CHECK(ErrorCodeOf(f.Beat(second)) == "identity_revoked");
  f.clock.Advance(2 * kHourMs);
  CHECK(ErrorCodeOf(f.Beat(first)) == "identity_revoked");
  CHECK(f.RevocationListSerials() == std::set<std::string>{first.serial_hex, second.serial_hex});
}
