#include "tributary/common/pki.h"

#include <catch2/catch.hpp>

#include "tributary/common/error.h"

using namespace tributary;
using namespace std::chrono_literals;

TEST_CASE("pki: a client certificate names the practice, whatever CN the CSR asked for") {
  pki::Authority ca = pki::CreateAuthority("Test CA", 24h);
  std::string key = pki::GeneratePrivateKeyPem();
  auto issued = pki::SignClientRequest(ca, pki::MakeCsrPem(key, "T09999"), "T01100", 1h);
  pki::CertificateInfo info = pki::ReadCertificate(issued.certificate_pem);
  CHECK(info.common_name == "T01100");
  CHECK(info.serial_hex == issued.serial_hex);
  CHECK(info.serial_hex.size() == 32);
  CHECK(info.not_after > std::chrono::system_clock::now());
  CHECK(info.not_after < std::chrono::system_clock::now() + 2h);
}

TEST_CASE("pki: fingerprints are stable SHA-256 hex of the certificate") {
  pki::Authority ca = pki::CreateAuthority("Test CA", 24h);
  auto a = pki::ReadCertificate(ca.certificate_pem);
  auto b = pki::ReadCertificate(ca.certificate_pem);
  CHECK(a.sha256_hex.size() == 64);
  CHECK(a.sha256_hex == b.sha256_hex);
  CHECK(a.sha256_hex !=
        pki::ReadCertificate(pki::CreateAuthority("Test CA", 24h).certificate_pem).sha256_hex);
}

TEST_CASE("pki: serial numbers are unique") {
  pki::Authority ca = pki::CreateAuthority("Test CA", 24h);
  std::string csr = pki::MakeCsrPem(pki::GeneratePrivateKeyPem(), "x");
  CHECK(pki::SignClientRequest(ca, csr, "T01100", 1h).serial_hex !=
        pki::SignClientRequest(ca, csr, "T01100", 1h).serial_hex);
}

TEST_CASE("pki: a tampered CSR is refused") {
  pki::Authority ca = pki::CreateAuthority("Test CA", 24h);
  std::string csr = pki::MakeCsrPem(pki::GeneratePrivateKeyPem(), "agent");
  // Flip one character inside the base64 body.
  std::size_t at = csr.find('\n') + 40;
  csr[at] = csr[at] == 'A' ? 'B' : 'A';
  CHECK_THROWS_AS(pki::SignClientRequest(ca, csr, "T01100", 1h), Error);
}

TEST_CASE("pki: garbage is not a CSR, a key or a certificate") {
  pki::Authority ca = pki::CreateAuthority("Test CA", 24h);
  CHECK_THROWS_AS(pki::SignClientRequest(ca, "garbage", "T01100", 1h), Error);
  CHECK_THROWS_AS(pki::MakeCsrPem("garbage", "x"), Error);
  CHECK_THROWS_AS(pki::ReadCertificate("garbage"), Error);
}

TEST_CASE("pki: a server certificate is issued for names and addresses") {
  pki::Authority ca = pki::CreateAuthority("Test CA", 24h);
  std::string cert = pki::IssueServerCertificate(ca, pki::GeneratePrivateKeyPem(),
                                                 {"localhost", "127.0.0.1", "::1"}, 24h);
  pki::CertificateInfo info = pki::ReadCertificate(cert);
  CHECK(info.common_name == "localhost");
  CHECK(info.hostnames == std::vector<std::string>{"localhost", "127.0.0.1", "::1"});
  CHECK(info.crl_url.empty());
  std::string with_crl =
      pki::IssueServerCertificate(ca, pki::GeneratePrivateKeyPem(), {"tributary.example"}, 24h,
                                  "https://tributary.example:8443/v1/crl");
  CHECK(pki::ReadCertificate(with_crl).crl_url == "https://tributary.example:8443/v1/crl");
  CHECK(pki::ReadCertificate(ca.certificate_pem).hostnames.empty());
}

TEST_CASE("pki: a bundle is read certificate by certificate, and nothing else is taken for one") {
  pki::Authority first = pki::CreateAuthority("First CA", 24h);
  pki::Authority second = pki::CreateAuthority("Second CA", 24h);
  auto both = pki::ReadCertificates(first.certificate_pem + second.certificate_pem + "\n");
  REQUIRE(both.size() == 2);
  CHECK(both[0].common_name == "First CA");
  CHECK(both[1].common_name == "Second CA");
  CHECK(pki::ReadCertificates(first.certificate_pem).size() == 1);
  CHECK_THROWS_AS(pki::ReadCertificates(""), Error);
  CHECK_THROWS_AS(pki::ReadCertificates("junk\n" + first.certificate_pem), Error);
  CHECK_THROWS_AS(pki::ReadCertificates(first.certificate_pem + "-----BEGIN CERTIFICATE-----\n"),
                  Error);
}

TEST_CASE("pki: which key goes with a certificate, which CA signed it, and whether it is a CA") {
  pki::Authority ca = pki::CreateAuthority("Tributary internal CA", 24h);
  pki::Authority other = pki::CreateAuthority("Tributary internal CA", 24h);  // the same name
  CHECK(pki::KeyMatchesCertificate(ca.certificate_pem, ca.key_pem));
  CHECK_FALSE(pki::KeyMatchesCertificate(ca.certificate_pem, other.key_pem));
  std::string server =
      pki::IssueServerCertificate(ca, pki::GeneratePrivateKeyPem(), {"localhost"}, 24h);
  CHECK(pki::SignedBy(server, ca.certificate_pem));
  CHECK_FALSE(pki::SignedBy(server, other.certificate_pem));
  CHECK(pki::ReadCertificate(ca.certificate_pem).is_ca);
  CHECK_FALSE(pki::ReadCertificate(server).is_ca);
}
