// When the server's and the CA's certificates are warned about, and what the
// warning tells the operator to do.
#include "enrol/server_certificate.h"

#include <catch2/catch.hpp>

using namespace tributary;
using namespace tributary::server;

namespace {

using Clock = std::chrono::system_clock;
const Clock::time_point kNow = Clock::time_point(std::chrono::milliseconds(1'790'000'000'000));

ServedCertificates EndingIn(std::chrono::hours server, std::chrono::hours ca) {
  ServedCertificates served;
  served.server.not_after = kNow + server;
  served.ca.not_after = kNow + ca;
  return served;
}

}  // namespace

TEST_CASE("certificate warnings: none until 60 days before an end, then one for each") {
  constexpr std::chrono::hours kDay{24};
  CHECK(CertificateWarnings(EndingIn(61 * kDay, 3000 * kDay), kNow).empty());

  auto server_only = CertificateWarnings(EndingIn(60 * kDay, 3000 * kDay), kNow);
  REQUIRE(server_only.size() == 1);
  CHECK(server_only[0].find("the server certificate ends on ") == 0);
  CHECK(server_only[0].find("(60 days)") != std::string::npos);
  CHECK(server_only[0].find("tributary-server certificate renew") != std::string::npos);

  auto both = CertificateWarnings(EndingIn(-kDay, 10 * kDay), kNow);
  REQUIRE(both.size() == 2);
  CHECK(both[0].find("the server certificate ended on ") == 0);
  CHECK(both[1].find("the CA certificate ends on ") == 0);
  CHECK(both[1].find("CA rollover") != std::string::npos);
}
