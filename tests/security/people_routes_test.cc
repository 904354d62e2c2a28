// The people's API and pages: a token or a session, within a scope, and a
// form only from the service's own pages.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "deployment.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

std::vector<std::string> Bearer(const std::string& token) {
  return {"Authorization: Bearer " + token};
}

}  // namespace

TEST_CASE("security: the people's API without a token, or with a made-up one, is refused") {
  Deployment d;
  agent::HttpsClient client = d.StrangerClient();
  for (const char* path : {"/v1/rollups", "/v1/returns?period=2026-08", "/v1/agents", "/v1/records",
                           "/v1/exports/workforce?period=2026-08", "/v1/feed"}) {
    INFO(path);
    CHECK(client.Get(d.server().Url() + path).status == 401);
    CHECK(client.Get(d.server().Url() + path, Bearer(std::string(64, '0'))).status == 401);
    CHECK(client.Get(d.server().Url() + path, {"Authorization: Basic YWRtaW46YWRtaW4="}).status ==
          401);
  }
}

TEST_CASE("security: an agent's certificate is not a person's token") {
  Deployment d;
  agent::HttpsClient client = d.AgentClient();
  CHECK(client.Get(d.server().Url() + "/v1/returns").status == 401);
  CHECK(client.Get(d.server().Url() + "/v1/agents").status == 401);
}

TEST_CASE("security: a PCN manager cannot read another PCN's figures or returns") {
  Deployment d;
  std::string token = d.UserToken("pcn-manager", "U10010");
  agent::HttpsClient client = d.StrangerClient();
  CHECK(client.Get(d.server().Url() + "/v1/rollups?code=U10017&period=2026-08", Bearer(token))
            .status == 403);
  CHECK(
      client.Get(d.server().Url() + "/v1/rollups?code=QT1&period=2026-08", Bearer(token)).status ==
      403);
  CHECK(client.Get(d.server().Url() + "/v1/rollups?level=ics", Bearer(token)).status == 403);
  auto returns =
      client.Get(d.server().Url() + "/v1/returns?period=2026-08&code=U10017", Bearer(token));
  CHECK(returns.status == 403);
}

TEST_CASE("security: a PCN manager cannot approve, close or publish beyond their role") {
  Deployment d;
  std::string token = d.UserToken("pcn-manager", "U10010");
  agent::HttpsClient client = d.StrangerClient();
  std::vector<std::string> json_headers = {"Authorization: Bearer " + token,
                                           "Content-Type: application/json"};
  auto close = client.Post(d.server().Url() + "/v1/periods/close", "{\"period\": \"2026-08\"}",
                           json_headers);
  CHECK(close.status == 403);
  auto publish = client.Post(d.server().Url() + "/v1/periods/publish", "{\"period\": \"2026-08\"}",
                             json_headers);
  CHECK(publish.status == 403);
  // A practice of another PCN.
  auto other = client.Post(d.server().Url() + "/v1/returns/approve",
                           "{\"practice\": \"T01165\", \"dataset\": \"workforce\", "
                           "\"period\": \"2026-08\", \"revision\": 1}",
                           json_headers);
  CHECK(other.status == 403);
}

TEST_CASE("security: a web page without a session sends the browser to sign in") {
  Deployment d;
  agent::HttpsClient client = d.StrangerClient();
  for (const char* path : {"/returns", "/rollups", "/agents", "/periods"}) {
    INFO(path);
    auto r = client.Get(d.server().Url() + path);
    CHECK(r.status == 303);
    CHECK(r.body.find("<table") == std::string::npos);
  }
}

TEST_CASE("security: a form posted without the page's CSRF token is refused, even signed in") {
  Deployment d;
  agent::HttpsClient client = d.StrangerClient();
  // Sign-in itself needs the cookie-bound token of the sign-in form.
  std::string token = d.UserToken("pcn-manager", "U10010");
  auto login = client.Post(d.server().Url() + "/login", "token=" + token,
                           {"Content-Type: application/x-www-form-urlencoded"});
  CHECK(login.status == 403);
  CHECK(login.body.find("did not come from this service") != std::string::npos);
  auto forged = client.Post(d.server().Url() + "/periods/close", "period=2026-08",
                            {"Content-Type: application/x-www-form-urlencoded",
                             "Cookie: tributary_session=" + std::string(64, 'f')});
  CHECK((forged.status == 303 || forged.status == 403));
}
