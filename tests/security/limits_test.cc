// What a stranger can make the server hold: bodies, headers, compressed
// bombs and connections, refused before they cost memory.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>
#include <memory>

#include "deployment.h"
#include "tributary/common/files.h"
#include "tributary/common/unique_fd.h"
#include "tributary/protocol/codec.h"
#include "tributary/protocol/compression.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

// A TLS connection from `source` that has finished its handshake and sends
// nothing more: a connection held open, as an attacker holds a thousand.
class HeldConnection {
 public:
  HeldConnection(std::uint16_t port, const char* source) {
    fd_ = UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    REQUIRE(fd_.valid());
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &local.sin_addr);
    REQUIRE(::bind(fd_.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) == 0);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    REQUIRE(::connect(fd_.get(), reinterpret_cast<sockaddr*>(&server), sizeof server) == 0);
    ctx_.reset(SSL_CTX_new(TLS_client_method()));
    ssl_.reset(SSL_new(ctx_.get()));
    SSL_set_fd(ssl_.get(), fd_.get());
    handshake_done_ = SSL_connect(ssl_.get()) == 1;
  }
  bool handshake_done() const { return handshake_done_; }

 private:
  UniqueFd fd_;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx_{nullptr, &SSL_CTX_free};
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl_{nullptr, &SSL_free};
  bool handshake_done_ = false;
};

// GET /healthz from `source`; the status, or 0 when no answer came.
long HealthFrom(ServerUnderTest& server, const char* source) {
  std::string ca = files::Read(server.data_dir() / "ca.pem");
  CURL* curl = curl_easy_init();
  curl_blob blob{ca.data(), ca.size(), CURL_BLOB_COPY};
  std::string url = server.Url() + "/healthz";
  std::string interface = std::string("host!") + source;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &blob);
  curl_easy_setopt(curl, CURLOPT_INTERFACE, interface.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  std::string body;
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION,
      +[](char* data, std::size_t size, std::size_t count, void* user) {
        static_cast<std::string*>(user)->append(data, size * count);
        return size * count;
      });
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  return status;
}

}  // namespace

TEST_CASE("security: a stranger cannot send a large body; 413 before it is read") {
  Deployment d;
  agent::HttpsClient stranger = d.StrangerClient();
  for (const char* path : {"/v1/enrol", "/v1/sync/push", "/login", "/v1/corrections"}) {
    INFO(path);
    auto r = stranger.Post(d.server().Url() + path, std::string(15 << 20, '{'),
                           {"Content-Type: application/json"});
    CHECK(r.status == 413);
    CHECK(ErrorCodeOf(r) == "too_large");
  }
  CHECK(stranger.Get(d.server().Url() + "/healthz").status == 200);
}

TEST_CASE("security: an enrolled agent may send a body larger than a stranger's limit") {
  Deployment d;
  std::vector<protocol::Change> changes;
  for (std::uint64_t seq = 1; seq <= 800; ++seq) {
    changes.push_back(ListSizeChange("T01100", seq, static_cast<int>(seq % 28) + 1));
  }
  protocol::PushBatch batch = BatchOf("T01100", changes);
  REQUIRE(protocol::Encode(batch).size() > 64 * 1024);
  agent::HttpsClient client = d.AgentClient();
  auto r = d.Push(client, batch);
  INFO(r.body);
  CHECK(r.status == 200);
  CHECK(ReadServerLog(d.server(), "T01100").high_water_mark == 800);
}

TEST_CASE("security: request headers over 16 KiB are refused with 431") {
  Deployment d;
  agent::HttpsClient stranger = d.StrangerClient();
  auto r = stranger.Get(d.server().Url() + "/v1/ca", {"X-Padding: " + std::string(20000, 'a')});
  CHECK(r.status == 431);
}

TEST_CASE("security: a compressed push that expands past the limit is refused, nothing stored") {
  Deployment d;
  std::string bomb = protocol::Compress(std::string(80u << 20, ' '));
  REQUIRE(bomb.size() < (1u << 20));
  agent::HttpsClient client = d.AgentClient();
  auto r = client.Post(d.server().Url() + "/v1/sync/push", bomb,
                       {"Content-Type: application/json", "Content-Encoding: zstd"});
  CHECK(r.status == 400);
  CHECK(ErrorCodeOf(r) == "bad_encoding");
  CHECK(ReadServerLog(d.server(), "T01100").changes == 0);
}

TEST_CASE("security: a push of more changes than a batch may hold is refused whole") {
  Deployment d;
  std::vector<protocol::Change> changes;
  for (std::uint64_t seq = 1; seq <= 20'001; ++seq) {
    changes.push_back(ListSizeChange("T01100", seq, static_cast<int>(seq % 28) + 1));
  }
  agent::HttpsClient client = d.AgentClient();
  auto r = client.Post(d.server().Url() + "/v1/sync/push",
                       protocol::Compress(protocol::Encode(BatchOf("T01100", changes))),
                       {"Content-Type: application/json", "Content-Encoding: zstd"});
  CHECK(r.status == 413);
  CHECK(ReadServerLog(d.server(), "T01100").changes == 0);
}

TEST_CASE("security: one address holding its share of connections locks no one else out") {
  Deployment d("max_connections_per_source = 4\n");
  std::vector<std::unique_ptr<HeldConnection>> held;
  // From an address nothing else in the test uses.
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<HeldConnection>(d.server().port(), "127.0.0.3"));
    REQUIRE(held.back()->handshake_done());
  }
  // A fifth from the same address is closed as it is accepted...
  CHECK(HealthFrom(d.server(), "127.0.0.3") == 0);
  // ...while another address is served.
  CHECK(HealthFrom(d.server(), "127.0.0.2") == 200);
  held.clear();
}
