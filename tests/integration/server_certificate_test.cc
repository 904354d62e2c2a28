// The server's own certificate over its life: renewed by the operator and
// presented after a restart while agents sync on untouched; warned about
// from 60 days before it ends, in `certificate`, `agents`, the log and
// /metrics.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "cluster.h"
#include "people_client.h"
#include "tributary/common/files.h"
#include "tributary/common/pki.h"
#include "tributary/common/unique_fd.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

// The serial of the certificate the server presents in a TLS handshake.
std::string PresentedSerial(std::uint16_t port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM, 0));
  REQUIRE(fd.get() >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        &SSL_CTX_free);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), &SSL_free);
  SSL_set_fd(ssl.get(), fd.get());
  REQUIRE(SSL_connect(ssl.get()) == 1);
  std::unique_ptr<X509, decltype(&X509_free)> cert(SSL_get1_peer_certificate(ssl.get()),
                                                   &X509_free);
  REQUIRE(cert);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  REQUIRE(PEM_write_bio_X509(bio.get(), cert.get()) == 1);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  SSL_shutdown(ssl.get());
  return pki::ReadCertificate(std::string(data, static_cast<std::size_t>(size))).serial_hex;
}

boost::json::object CertificateJson(ServerUnderTest& server) {
  RunResult r = server.Command({"certificate", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return boost::json::parse(r.out).as_object();
}

std::string Text(const boost::json::value& v) { return std::string(v.as_string()); }

}  // namespace

TEST_CASE(
    "server certificate: renewed, it is presented after a restart and agents sync on without "
    "enrolling again") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  agent.ImportSample({"2026-08"});
  agent.RunOk({"sync"});

  boost::json::object before = CertificateJson(server);
  std::string first = Text(before.at("server").at("serial"));
  CHECK(PresentedSerial(server.port()) == first);
  CHECK(before.at("warnings").as_array().empty());
  CHECK_FALSE(before.at("server").at("renewal_due").as_bool());

  RunResult renewed = server.Command({"certificate", "renew"});
  INFO(renewed.err);
  REQUIRE(renewed.exit_code == 0);
  CHECK(renewed.out.find("restart the server") != std::string::npos);
  boost::json::object after = CertificateJson(server);
  std::string second = Text(after.at("server").at("serial"));
  CHECK(second != first);
  // The same names and revocation list; the same CA, so agents need nothing.
  CHECK(after.at("server").at("hostnames") == before.at("server").at("hostnames"));
  CHECK(after.at("server").at("crl_url") == before.at("server").at("crl_url"));
  CHECK(after.at("ca") == before.at("ca"));
  CHECK_FALSE(std::filesystem::exists(server.data_dir() / "server.pem.new"));
  CHECK_FALSE(std::filesystem::exists(server.data_dir() / "server.key.new"));

  CHECK(PresentedSerial(server.port()) == first);  // until restarted
  REQUIRE(server.Stop() == 0);
  server.Start();
  CHECK(PresentedSerial(server.port()) == second);
  agent.ImportSample({"2026-09"});
  agent.RunOk({"sync"});
  CHECK(AgentAcknowledgedSeq(agent) == AgentLastSeq(agent));

  RunResult audit = server.Command({"audit", "export"});
  REQUIRE(audit.exit_code == 0);
  CHECK(audit.out.find("\"server_certificate_renew\"") != std::string::npos);
  CHECK(audit.out.find(second) != std::string::npos);
}

TEST_CASE("server certificate: renewed for other names, it names them and keeps the CRL's port") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  std::string crl_url = Text(CertificateJson(server).at("server").at("crl_url"));
  std::string port_and_path = crl_url.substr(crl_url.rfind(':') + 1);  // PORT/v1/crl
  RunResult renewed = server.Command({"certificate", "renew", "--hostname",
                                      "tributary.example.nhs.uk", "--hostname", "127.0.0.1"});
  REQUIRE(renewed.exit_code == 0);
  boost::json::object after = CertificateJson(server);
  CHECK(after.at("server").at("hostnames") ==
        boost::json::array{"tributary.example.nhs.uk", "127.0.0.1"});
  CHECK(Text(after.at("server").at("crl_url")) ==
        "https://tributary.example.nhs.uk:" + port_and_path);
}

TEST_CASE(
    "server certificate: from 60 days before its end, certificate, agents, the log and "
    "/metrics say to renew it") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  // A certificate with 30 days left, issued by the server's own CA.
  pki::Authority ca{files::Read(server.data_dir() / "ca.pem"),
                    files::Read(server.data_dir() / "ca.key")};
  std::string key = pki::GeneratePrivateKeyPem();
  files::WriteAtomic(server.data_dir() / "server.key", key);
  files::WriteAtomic(
      server.data_dir() / "server.pem",
      pki::IssueServerCertificate(ca, key, {"127.0.0.1"}, std::chrono::hours(24 * 30)));

  boost::json::object shown = CertificateJson(server);
  CHECK(shown.at("server").at("renewal_due").as_bool());
  CHECK_FALSE(shown.at("ca").at("renewal_due").as_bool());
  REQUIRE(shown.at("warnings").as_array().size() == 1);
  CHECK(Text(shown.at("warnings").as_array()[0]).find("certificate renew") != std::string::npos);

  RunResult agents = server.Command({"agents"});
  REQUIRE(agents.exit_code == 0);
  CHECK(agents.out.rfind("warning: the server certificate ends on ", 0) == 0);
  RunResult agents_json = server.Command({"agents", "--json"});
  REQUIRE(agents_json.exit_code == 0);
  CHECK(boost::json::parse(agents_json.out).at("certificate_warnings").as_array().size() == 1);

  server.Start();
  CHECK(files::Read(server.data_dir() / "serve.log").find("certificate_expiring") !=
        std::string::npos);
  agent::HttpsClient client = PeopleClientFor(server);
  auto metrics = client.Get(server.Url() + "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.body.find("tributary_certificate_renewal_due{certificate=\"server\"} 1\n") !=
        std::string::npos);
  CHECK(metrics.body.find("tributary_certificate_renewal_due{certificate=\"ca\"} 0\n") !=
        std::string::npos);

  // Renewed and restarted: the warnings stop.
  REQUIRE(server.Command({"certificate", "renew"}).exit_code == 0);
  REQUIRE(server.Stop() == 0);
  server.Start();
  CHECK(CertificateJson(server).at("warnings").as_array().empty());
  CHECK(client.Get(server.Url() + "/metrics")
            .body.find("tributary_certificate_renewal_due{certificate=\"server\"} 0\n") !=
        std::string::npos);
}
