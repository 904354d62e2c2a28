// Fuzz target: the server's request path on untrusted bytes — the HTTP parser
// with the served limits (ParseHttpRequest), then the router with a real
// store: authentication, routing, decompression, decoding, ingest and the
// APIs. The first byte chooses whether the request arrives with the verified
// client certificate of an enrolled agent, so the mTLS routes are reached too.
//
// Properties beyond "no crash, no leak, no undefined behaviour": every answer
// has a real HTTP status; every error answer carries a stable error code.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "enrol/agent_service.h"
#include "enrol/enrolment_service.h"
#include "fuzz_check.h"
#include "http/https_server.h"
#include "http/router.h"
#include "ingest/push_ingest.h"
#include "store/server_store.h"
#include "temp_dir.h"
#include "tributary/common/digest.h"
#include "tributary/common/hlc.h"
#include "tributary/common/pki.h"
#include "users/user_service.h"
#include "validation/findings_publisher.h"

using namespace tributary;
using namespace tributary::server;

namespace {

constexpr std::int64_t kNowMs = 1'790'000'000'000;

// One server for the whole run: building a store per input would measure
// SQLite's schema creation, not the request path.
struct Server {
  testing::TempDir dir;
  FakeClock clock{kNowMs};
  ServerStore store{dir.path() / "server.db", clock};
  pki::Authority ca = pki::CreateAuthority("fuzz CA", std::chrono::hours(24));
  EnrolmentService enrolment{store, ca, clock};
  PushIngest ingest{store};
  PersonKeyService person_keys{store, oprf::Key::Generate()};
  FindingsPublisher findings{store};
  RouterLimits limits = SmallLimits();
  web::WebAssets assets;
  Router router{store, enrolment, ingest, person_keys, findings, assets, limits};
  HttpsServerLimits http_limits = SmallHttpLimits();

  Server() {
    AgentService(store).AddToken("fuzz-token", "T01100", kNowMs + 3'600'000);
    AgentService(store).EnrolWithToken("fuzz-token", [](const std::string&) {
      return IssuedIdentity{"a-T01100", "5e7a1", 0};
    });
    // Bearer tokens the corpus uses: "Authorization: Bearer admin" and "... ics".
    UserService(store).Add({"u-ada", "Ada", Role::kAdmin, "QT1"}, digest::Sha256Hex("admin"), "t");
    UserService(store).Add({"u-ian", "Ian", Role::kIcsAnalyst, "QT1"}, digest::Sha256Hex("ics"),
                           "t");
  }

  static RouterLimits SmallLimits() {
    RouterLimits l;
    l.max_decompressed_bytes = 1 << 20;
    l.decode.max_changes = 64;
    return l;
  }
  static HttpsServerLimits SmallHttpLimits() {
    HttpsServerLimits l;
    l.max_body_bytes = 1 << 20;
    l.max_header_bytes = 4096;
    return l;
  }
};

Server& TheServer() {
  static Server server;
  return server;
}

void CheckAnswer(const HttpResponse& response) {
  FUZZ_CHECK(response.status >= 100 && response.status <= 599);
  // Every error of the API and the agents' routes is a problem document that
  // parses as JSON and names its code; the web pages answer theirs as HTML.
  if (response.status >= 400 && response.content_type != "text/html; charset=utf-8") {
    FUZZ_CHECK(response.content_type == "application/problem+json");
    boost::system::error_code ec;
    boost::json::value body = boost::json::parse(response.body, ec);
    FUZZ_CHECK(!ec && body.is_object() && body.as_object().contains("code"));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Server& server = TheServer();
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto parsed = ParseHttpRequest(bytes, server.http_limits, (data[0] & 1) != 0);
  if (auto* refusal = std::get_if<HttpResponse>(&parsed)) {
    CheckAnswer(*refusal);
    return 0;
  }
  auto* request = std::get_if<HttpRequest>(&parsed);
  if (request == nullptr) return 0;
  if (data[0] & 1) {
    request->peer = PeerCertificate{
        "T01100", "5e7a1",
        std::chrono::system_clock::time_point(std::chrono::milliseconds(kNowMs + 86'400'000))};
  }
  request->remote_address = "127.0.0.1";
  CheckAnswer(server.router.Handle(*request));
  return 0;
}
