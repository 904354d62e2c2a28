// The TLS listener as an attacker meets it: old protocols, weak ciphers,
// plain HTTP, certificates from elsewhere, the cipher order.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <memory>
#include <set>

#include "deployment.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/pki.h"
#include "tributary/common/unique_fd.h"

using namespace tributary;
using namespace tributary::testing;
using namespace std::chrono_literals;

namespace {

UniqueFd ConnectTo(std::uint16_t port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(fd.valid());
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  REQUIRE(::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

struct Handshake {
  bool done = false;
  std::string cipher;   // as the server chose it
  std::string version;  // "TLSv1.2", ...
};

// One handshake with OpenSSL as the client, limited to `max_version` and
// offering `ciphers` (TLS 1.2's list) in that order. The server is not
// verified: the handshake's outcome is what is tested.
Handshake HandshakeWith(std::uint16_t port, int min_version, int max_version, const char* ciphers) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        &SSL_CTX_free);
  REQUIRE(ctx);
  SSL_CTX_set_security_level(ctx.get(), 0);  // let the client offer what a server must refuse
  SSL_CTX_set_min_proto_version(ctx.get(), min_version);
  SSL_CTX_set_max_proto_version(ctx.get(), max_version);
  REQUIRE(SSL_CTX_set_cipher_list(ctx.get(), ciphers) == 1);
  UniqueFd fd = ConnectTo(port);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), &SSL_free);
  SSL_set_fd(ssl.get(), fd.get());
  Handshake result;
  result.done = SSL_connect(ssl.get()) == 1;
  if (result.done) {
    result.cipher = SSL_get_cipher_name(ssl.get());
    result.version = SSL_get_version(ssl.get());
  }
  ERR_clear_error();
  return result;
}

}  // namespace

TEST_CASE("security: TLS 1.0 and 1.1 are refused; 1.2 and 1.3 are served") {
  Deployment d;
  CHECK_FALSE(HandshakeWith(d.server().port(), TLS1_VERSION, TLS1_VERSION, "ALL").done);
  CHECK_FALSE(HandshakeWith(d.server().port(), TLS1_1_VERSION, TLS1_1_VERSION, "ALL").done);
  CHECK(HandshakeWith(d.server().port(), TLS1_2_VERSION, TLS1_2_VERSION, "ALL").version ==
        "TLSv1.2");
  CHECK(HandshakeWith(d.server().port(), TLS1_3_VERSION, TLS1_3_VERSION, "ALL").version ==
        "TLSv1.3");
}

TEST_CASE("security: TLS 1.2 without forward secrecy or an AEAD cipher is refused") {
  Deployment d;
  for (const char* weak :
       {"AES128-GCM-SHA256", "AES256-SHA256", "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384",
        "DHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "NULL-SHA256", "aNULL"}) {
    INFO(weak);
    CHECK_FALSE(HandshakeWith(d.server().port(), TLS1_2_VERSION, TLS1_2_VERSION, weak).done);
  }
}

TEST_CASE("security: the server's cipher order decides, not the client's") {
  Deployment d;
  Handshake h = HandshakeWith(d.server().port(), TLS1_2_VERSION, TLS1_2_VERSION,
                              "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384:"
                              "ECDHE-ECDSA-AES128-GCM-SHA256");
  REQUIRE(h.done);
  CHECK(h.cipher == "ECDHE-ECDSA-AES128-GCM-SHA256");
}

TEST_CASE("security: plain HTTP on the TLS port is answered with nothing") {
  Deployment d;
  UniqueFd fd = ConnectTo(d.server().port());
  const std::string request = "GET /v1/ca HTTP/1.1\r\nHost: x\r\n\r\n";
  REQUIRE(::send(fd.get(), request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size()));
  std::string answer;
  char buffer[4096];
  pollfd p{fd.get(), POLLIN, 0};
  while (::poll(&p, 1, 30'000) == 1) {
    ssize_t n = ::recv(fd.get(), buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  CHECK(answer.find("BEGIN CERTIFICATE") == std::string::npos);
  CHECK(answer.find("HTTP/1.1 200") == std::string::npos);
}

TEST_CASE("security: a client certificate from another CA, for the same practice, gets nothing") {
  Deployment d;
  pki::Authority rogue = pki::CreateAuthority("Rogue CA", 24h);
  std::string key = pki::GeneratePrivateKeyPem();
  auto cert = pki::SignClientRequest(rogue, pki::MakeCsrPem(key, "agent"), "T01100", 1h);
  files::WriteAtomic(d.dir().path() / "rogue.key", key);
  files::WriteAtomic(d.dir().path() / "rogue.pem", cert.certificate_pem);
  agent::HttpsClientOptions options;
  options.ca_certificate_pem = files::Read(d.server().data_dir() / "ca.pem");
  options.client_certificate_path = (d.dir().path() / "rogue.pem").string();
  options.client_key_path = (d.dir().path() / "rogue.key").string();
  agent::HttpsClient rogue_client(options);
  long status = 0;
  try {
    status = d.Push(rogue_client, BatchOf("T01100", {ListSizeChange("T01100", 1, 1)})).status;
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kNetwork);  // the handshake itself refused it
  }
  CHECK((status == 0 || status == 401));
  CHECK(ReadServerLog(d.server(), "T01100").changes == 0);
}

TEST_CASE("security: a self-signed certificate copying the agent's name gets nothing") {
  Deployment d;
  // The agent's own key, in a certificate the attacker signed themselves.
  pki::Authority self = pki::CreateAuthority("T01100", 24h);
  files::WriteAtomic(d.dir().path() / "self.pem", self.certificate_pem);
  files::WriteAtomic(d.dir().path() / "self.key", self.key_pem);
  agent::HttpsClientOptions options;
  options.ca_certificate_pem = files::Read(d.server().data_dir() / "ca.pem");
  options.client_certificate_path = (d.dir().path() / "self.pem").string();
  options.client_key_path = (d.dir().path() / "self.key").string();
  agent::HttpsClient forged(options);
  long status = 0;
  try {
    status = d.Push(forged, BatchOf("T01100", {ListSizeChange("T01100", 1, 1)})).status;
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kNetwork);
  }
  CHECK((status == 0 || status == 401));
  CHECK(ReadServerLog(d.server(), "T01100").changes == 0);
}

TEST_CASE("security: a revoked agent's certificate is on the CA's signed revocation list") {
  Deployment d;
  auto crl_serials = [&d] {
    agent::HttpsClient client = d.StrangerClient();
    auto r = client.Get(d.server().Url() + "/v1/crl");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "application/pkix-crl");
    const unsigned char* der = reinterpret_cast<const unsigned char*>(r.body.data());
    std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(
        d2i_X509_CRL(nullptr, &der, static_cast<long>(r.body.size())), &X509_CRL_free);
    REQUIRE(crl);
    // Signed by the CA the agents pin.
    std::string ca_pem = files::Read(d.server().data_dir() / "ca.pem");
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size())), &BIO_free);
    std::unique_ptr<X509, decltype(&X509_free)> ca(
        PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
    CHECK(X509_CRL_verify(crl.get(), X509_get0_pubkey(ca.get())) == 1);
    std::set<std::string> serials;
    STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
    for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
      BIGNUM* bn = ASN1_INTEGER_to_BN(
          X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i)), nullptr);
      char* hex = BN_bn2hex(bn);
      std::string text(hex);
      OPENSSL_free(hex);
      BN_free(bn);
      std::transform(text.begin(), text.end(), text.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      serials.insert(text);
    }
    return serials;
  };
  std::string serial =
      pki::ReadCertificate(files::Read(d.agent().data_dir() / "agent.pem")).serial_hex;
  CHECK(crl_serials().count(serial) == 0);
  REQUIRE(d.server().Command({"agents", "revoke", "--practice", "T01100"}).exit_code == 0);
  CHECK(crl_serials().count(serial) == 1);
}
