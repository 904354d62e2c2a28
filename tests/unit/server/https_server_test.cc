// The HTTPS layer with real TLS on 127.0.0.1, real certificates and libcurl.
#include "http/https_server.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "enrol/enrolment.h"
#include "sync/https_client.h"
#include "temp_dir.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/pki.h"
#include "tributary/common/unique_fd.h"

using namespace tributary;
using namespace tributary::server;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct RunningServer {
  pki::Authority ca = pki::CreateAuthority("Test CA", 24h);
  std::unique_ptr<HttpsServer> server;
  std::thread thread;
  std::uint16_t port = 0;

  explicit RunningServer(RequestHandler handler, HttpsServerLimits limits = {},
                         QuickHandler quick = {}) {
    HttpsServerOptions options;
    std::string key = pki::GeneratePrivateKeyPem();
    options.certificate_pem = pki::IssueServerCertificate(ca, key, {"127.0.0.1"}, 24h);
    options.key_pem = key;
    options.client_ca_pem = ca.certificate_pem;
    options.limits = limits;
    server = std::make_unique<HttpsServer>(options, std::move(handler), std::move(quick));
    port = server->Start();
    thread = std::thread([this] { server->Run(); });
  }
  ~RunningServer() {
    server->Stop();
    thread.join();
  }
  std::string Url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(port) + path;
  }
};

struct ClientIdentity {
  testing::TempDir dir;
  agent::HttpsClientOptions options;
  ClientIdentity(const pki::Authority& trust, const pki::Authority& issuer,
                 const std::string& practice) {
    std::string key = pki::GeneratePrivateKeyPem();
    auto cert = pki::SignClientRequest(issuer, pki::MakeCsrPem(key, "agent"), practice, 1h);
    files::WriteAtomic(dir.path() / "key.pem", key);
    files::WriteAtomic(dir.path() / "cert.pem", cert.certificate_pem);
    options.ca_certificate_pem = trust.certificate_pem;
    options.client_certificate_path = (dir.path() / "cert.pem").string();
    options.client_key_path = (dir.path() / "key.pem").string();
  }
};

HttpResponse Echo(const HttpRequest& r) {
  HttpResponse response;
  response.content_type = "text/plain";
  response.body = r.method + " " + r.target + " peer=" + (r.peer ? r.peer->common_name : "none") +
                  " body=" + std::to_string(r.body.size()) + " x=" + r.Header("x-test");
  response.headers.push_back({"Retry-After", "7"});
  return response;
}

agent::HttpsClientOptions Trusting(const pki::Authority& ca) {
  agent::HttpsClientOptions options;
  options.ca_certificate_pem = ca.certificate_pem;
  return options;
}

// A TLS 1.2-only handshake offering just `ciphers`; true if it completes.
bool Tls12HandshakeWith(const RunningServer& s, const char* ciphers) {
  CURL* curl = curl_easy_init();
  curl_blob ca{const_cast<char*>(s.ca.certificate_pem.data()), s.ca.certificate_pem.size(),
               CURL_BLOB_COPY};
  std::string url = s.Url("/");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca);
  curl_easy_setopt(curl, CURLOPT_SSLVERSION,
                   // CURL_SSLVERSION_MAX_TLSv1_2 is the version shifted into the high half.
                   static_cast<long>(CURL_SSLVERSION_TLSv1_2) |
                       (static_cast<long>(CURL_SSLVERSION_TLSv1_2) << 16));
  curl_easy_setopt(curl, CURLOPT_SSL_CIPHER_LIST, ciphers);
  curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  return rc == CURLE_OK;
}

}  // namespace

TEST_CASE("https: a request reaches the handler and its response comes back") {
  RunningServer s(Echo);
  agent::HttpsClient client(Trusting(s.ca));
  auto r = client.Post(s.Url("/x?y=1"), "hello", {"X-Test: yes"});
  CHECK(r.status == 200);
  CHECK(r.body == "POST /x?y=1 peer=none body=5 x=yes");
  CHECK(r.content_type == "text/plain");
  CHECK(r.retry_after_seconds == 7);
}

TEST_CASE("https: the quick handler answers what it takes; the rest reaches the handler") {
  std::atomic<int> handled{0};
  RunningServer s(
      [&handled](const HttpRequest& r) {
        ++handled;
        return Echo(r);
      },
      {},
      [](const HttpRequest& r) -> std::optional<HttpResponse> {
        if (r.target != "/quick") return std::nullopt;
        HttpResponse response;
        response.body = "quick";
        return response;
      });
  agent::HttpsClient client(Trusting(s.ca));
  CHECK(client.Get(s.Url("/quick")).body == "quick");
  CHECK(handled == 0);
  CHECK(client.Get(s.Url("/slow")).body == "GET /slow peer=none body=0 x=");
  CHECK(handled == 1);
}

TEST_CASE("https: the handler sees the practice named by a valid client certificate") {
  RunningServer s(Echo);
  ClientIdentity identity(s.ca, s.ca, "T01100");
  agent::HttpsClient client(identity.options);
  CHECK(client.Get(s.Url("/")).body.find("peer=T01100") != std::string::npos);
}

TEST_CASE("https: a client certificate from another CA does not get through") {
  RunningServer s(Echo);
  pki::Authority stranger = pki::CreateAuthority("Other CA", 24h);
  ClientIdentity identity(s.ca, stranger, "T01100");
  agent::HttpsClient client(identity.options);
  bool refused = false;
  try {
    refused = client.Get(s.Url("/")).body.find("peer=T01100") == std::string::npos;
  } catch (const Error& e) {
    refused = e.code() == ErrorCode::kNetwork;
  }
  CHECK(refused);
}

TEST_CASE("https: TLS 1.2 only with ECDHE and AEAD ciphers") {
  RunningServer s(Echo);
  CHECK(Tls12HandshakeWith(s, "ECDHE-ECDSA-AES128-GCM-SHA256"));
  CHECK_FALSE(Tls12HandshakeWith(s, "ECDHE-ECDSA-AES128-SHA"));
  CHECK_FALSE(Tls12HandshakeWith(s, "ECDHE-ECDSA-AES256-SHA384"));
}

TEST_CASE("https: a body over the limit is answered 413") {
  HttpsServerLimits limits;
  limits.max_body_bytes = 1024;
  RunningServer s(Echo, limits);
  agent::HttpsClient client(Trusting(s.ca));
  CHECK(client.Post(s.Url("/"), std::string(4096, 'x'), {}).status == 413);
  CHECK(client.Post(s.Url("/"), std::string(1024, 'x'), {}).status == 200);
}

TEST_CASE("https: a stranger's body is held to the small limit; an agent's to the large one") {
  HttpsServerLimits limits;
  limits.max_body_bytes = 1 << 20;
  limits.max_unauthenticated_body_bytes = 4096;
  RunningServer s(Echo, limits);
  agent::HttpsClient stranger(Trusting(s.ca));
  auto refused = stranger.Post(s.Url("/v1/enrol"), std::string(64 * 1024, 'x'), {});
  CHECK(refused.status == 413);
  CHECK(refused.body.find("before a client certificate") != std::string::npos);
  CHECK(stranger.Post(s.Url("/"), std::string(4096, 'x'), {}).status == 200);
  ClientIdentity agent_identity(s.ca, s.ca, "T01100");
  agent::HttpsClient agent(agent_identity.options);
  auto taken = agent.Post(s.Url("/"), std::string(512 * 1024, 'x'), {});
  CHECK(taken.status == 200);
  CHECK(taken.body.find("body=524288") != std::string::npos);
  CHECK(agent.Post(s.Url("/"), std::string(2 << 20, 'x'), {}).status == 413);
}

TEST_CASE("https: one address holds at most its share of connections; others still get in") {
  HttpsServerLimits limits;
  limits.max_connections_per_source = 3;
  limits.handshake_timeout = 120s;
  RunningServer s(Echo, limits);
  auto connect_from = [&s](const char* address) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, address, &local.sin_addr);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(s.port);
    ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) == 0);
    return UniqueFd(fd);
  };
  // Closed by the server: the read sees the end of the stream (a bound, not a pause).
  auto closed_by_server = [](const UniqueFd& fd) {
    pollfd p{fd.get(), POLLIN, 0};
    if (::poll(&p, 1, 30'000) != 1) return false;
    char byte;
    return ::recv(fd.get(), &byte, 1, 0) == 0;
  };
  std::vector<UniqueFd> held;
  for (int i = 0; i < 3; ++i) held.push_back(connect_from("127.0.0.1"));
  UniqueFd fourth = connect_from("127.0.0.1");
  CHECK(closed_by_server(fourth));
  // Another address is served while the first holds its share.
  CURL* curl = curl_easy_init();
  curl_blob ca{const_cast<char*>(s.ca.certificate_pem.data()), s.ca.certificate_pem.size(),
               CURL_BLOB_COPY};
  std::string url = s.Url("/healthz");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca);
  curl_easy_setopt(curl, CURLOPT_INTERFACE, "host!127.0.0.2");
  curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  CHECK(rc == CURLE_OK);
  CHECK(status == 200);
}

TEST_CASE("https: enrolment fetches at most a certificate's worth from the unverified /v1/ca") {
  RunningServer s([](const HttpRequest&) {
    HttpResponse r;
    r.content_type = "application/x-pem-file";
    r.body = std::string(agent::kMaxCaResponseBytes + 1, 'A');
    return r;
  });
  testing::TempDir dir;
  FakeClock clock{1'700'000'000'000};
  agent::LocalStore store(dir.path() / "agent.db", clock);
  agent::EnrolmentRequest request{s.Url(""), "token", std::string(64, '0'), ""};
  try {
    agent::Enrol(request, agent::AgentPaths{dir.path()}, store);
    FAIL("enrolled");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kProtocol);
    CHECK(std::string(e.what()).find("larger than 65536 bytes") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir.path() / "ca.pem"));
}

TEST_CASE("https: a handler that throws gives 500 and the server keeps serving") {
  std::atomic<int> calls{0};
  RunningServer s([&calls](const HttpRequest& r) -> HttpResponse {
    if (calls++ == 0) throw std::runtime_error("boom");
    return Echo(r);
  });
  agent::HttpsClient client(Trusting(s.ca));
  CHECK(client.Get(s.Url("/")).status == 500);
  CHECK(client.Get(s.Url("/")).status == 200);
}

TEST_CASE("https: keep-alive connections serve many requests") {
  RunningServer s(Echo);
  agent::HttpsClient client(Trusting(s.ca));
  for (int i = 0; i < 20; ++i) CHECK(client.Get(s.Url("/")).status == 200);
}

TEST_CASE("https: Stop lets a request in flight finish, then Run returns") {
  std::mutex m;
  std::condition_variable cv;
  bool entered = false, release = false;
  RunningServer s([&](const HttpRequest& r) {
    std::unique_lock lock(m);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    return Echo(r);
  });
  agent::HttpsResponse response;
  std::thread request([&] {
    agent::HttpsClient client(Trusting(s.ca));
    response = client.Get(s.Url("/slow"));
  });
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return entered; });
  }
  s.server->Stop();
  {
    std::lock_guard lock(m);
    release = true;
  }
  cv.notify_all();
  request.join();
  CHECK(response.status == 200);
  s.thread.join();
  s.thread = std::thread([] {});  // the destructor joins again
}

TEST_CASE("https: beyond the pending limit a request is told 429 with Retry-After, at once") {
  std::mutex m;
  std::condition_variable cv;
  bool entered = false, release = false;
  HttpsServerLimits limits;
  limits.worker_threads = 1;
  limits.max_pending_requests = 1;
  limits.busy_retry_after = 3s;
  RunningServer s(
      [&](const HttpRequest& r) {
        if (r.target == "/slow") {
          std::unique_lock lock(m);
          entered = true;
          cv.notify_all();
          cv.wait(lock, [&] { return release; });
        }
        return Echo(r);
      },
      limits);
  agent::HttpsResponse slow;
  std::thread first([&] {
    agent::HttpsClient client(Trusting(s.ca));
    slow = client.Get(s.Url("/slow"));
  });
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return entered; });
  }
  agent::HttpsClient client(Trusting(s.ca));
  agent::HttpsResponse busy = client.Get(s.Url("/other"));
  CHECK(busy.status == 429);
  CHECK(busy.retry_after_seconds == 3);
  CHECK(busy.body.find("\"busy\"") != std::string::npos);
  {
    std::lock_guard lock(m);
    release = true;
  }
  cv.notify_all();
  first.join();
  CHECK(slow.status == 200);
  CHECK(client.Get(s.Url("/other")).status == 200);  // a place is free again
}
