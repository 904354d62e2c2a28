// The heartbeat as a CA rollover uses it: it says which CAs the agent
// trusts, and takes from the reply the CAs to trust the server by, but only
// beside one it trusts already.
#include "sync/heartbeat.h"

#include <catch2/catch.hpp>

#include "scripted_transport.h"
#include "temp_dir.h"
#include "tributary/common/files.h"
#include "tributary/common/pki.h"

using namespace tributary;
using namespace tributary::agent;
using namespace tributary::agent::testing;

namespace {

struct Agent {
  tributary::testing::TempDir dir;
  FakeClock clock{1'790'000'000'000};
  AgentPaths paths{dir.path()};
  LocalStore store{dir.path() / "agent.db", clock};
  pki::Authority ca = pki::CreateAuthority("Tributary internal CA", std::chrono::hours(24));

  Agent() {
    files::WriteAtomic(paths.CaCertificate(), ca.certificate_pem);
    std::string key = pki::GeneratePrivateKeyPem();
    files::WriteAtomic(
        paths.Certificate(),
        pki::SignClientRequest(ca, pki::MakeCsrPem(key, "agent"), "T01100", std::chrono::hours(24))
            .certificate_pem);
  }

  std::string Sha(const pki::Authority& authority) const {
    return pki::ReadCertificate(authority.certificate_pem).sha256_hex;
  }
};

HttpsResponse ReplyOffering(const std::string& bundle) {
  HttpsResponse r;
  r.status = 200;
  r.body = protocol::Encode(protocol::HeartbeatReply{1'790'000'000'000, bundle});
  return r;
}

std::vector<std::string> SaidTrusted(const Exchange& sent) {
  auto h = protocol::DecodeHeartbeat(sent.body);
  REQUIRE(h.ok());
  return h.value().trusted_ca_sha256;
}

}  // namespace

TEST_CASE("heartbeat: the next CA offered beside the one trusted is kept, and said the next time") {
  Agent a;
  pki::Authority next = pki::CreateAuthority("Tributary internal CA", std::chrono::hours(48));
  ScriptedTransport server;
  server.Reply(ReplyOffering(a.ca.certificate_pem + next.certificate_pem));
  REQUIRE(SendHeartbeatIfDue(server, "https://s", a.store, a.paths, a.clock));
  CHECK(SaidTrusted(server.exchanges()[0]) == std::vector<std::string>{a.Sha(a.ca)});
  CHECK(files::Read(a.paths.CaCertificate()) == a.ca.certificate_pem + next.certificate_pem);

  // What it trusts changed: the next heartbeat goes at once and says so.
  server.Reply(ReplyOffering(a.ca.certificate_pem + next.certificate_pem));
  REQUIRE(SendHeartbeatIfDue(server, "https://s", a.store, a.paths, a.clock));
  CHECK(SaidTrusted(server.exchanges()[1]) == std::vector<std::string>{a.Sha(a.ca), a.Sha(next)});
  CHECK_FALSE(SendHeartbeatIfDue(server, "https://s", a.store, a.paths, a.clock));
}

TEST_CASE("heartbeat: CAs offered with none the agent trusts are refused, and ca.pem is kept") {
  Agent a;
  pki::Authority stranger = pki::CreateAuthority("Someone else's CA", std::chrono::hours(24));
  ScriptedTransport server;
  server.Reply(ReplyOffering(stranger.certificate_pem));
  CHECK_THROWS_MATCHES(SendHeartbeatIfDue(server, "https://s", a.store, a.paths, a.clock), Error,
                       Catch::Matchers::Predicate<Error>(
                           [](const Error& e) { return e.code() == ErrorCode::kProtocol; }));
  CHECK(files::Read(a.paths.CaCertificate()) == a.ca.certificate_pem);
}

TEST_CASE("heartbeat: a server from before CA rollovers offers none, and nothing changes") {
  Agent a;
  ScriptedTransport server;
  server.Reply(ReplyOffering(""));
  REQUIRE(SendHeartbeatIfDue(server, "https://s", a.store, a.paths, a.clock));
  CHECK(files::Read(a.paths.CaCertificate()) == a.ca.certificate_pem);
}

TEST_CASE("heartbeat: a certificate that is not a CA's is never taken to trust the server by") {
  Agent a;
  std::string leaf = pki::IssueServerCertificate(a.ca, pki::GeneratePrivateKeyPem(), {"localhost"},
                                                 std::chrono::hours(24));
  ScriptedTransport server;
  server.Reply(ReplyOffering(a.ca.certificate_pem + leaf));
  CHECK_THROWS_AS(SendHeartbeatIfDue(server, "https://s", a.store, a.paths, a.clock), Error);
  CHECK(files::Read(a.paths.CaCertificate()) == a.ca.certificate_pem);
}
