// A whole server in a unit test, without sockets: its store in a TempDir on
// a fake clock, a CA, the enrolment, ingest and findings services, and the
// router every request goes through. Header-only: the tests that use it link
// the server's internals themselves.
#pragma once

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "enrol/agent_service.h"
#include "http/router.h"
#include "org_fixture.h"
#include "orgs/org_service.h"
#include "temp_dir.h"
#include "test_store.h"
#include "tributary/common/digest.h"
#include "tributary/common/pki.h"
#include "tributary/protocol/codec.h"
#include "users/user_service.h"

namespace tributary::server::testing {

struct ServerFixture {
  tributary::testing::TempDir dir;
  FakeClock clock;
  ServerStore store{tributary::testing::TestStore(dir), clock};
  pki::Authority ca = pki::CreateAuthority("test CA", std::chrono::hours(24));
  EnrolmentService enrolment{store, ca, clock};
  PushIngest ingest{store};
  PersonKeyService person_keys{store, oprf::Key::Generate()};
  FindingsPublisher findings{store};
  web::WebAssets assets;  // none: the pages' tests read their HTML
  Router router{store, enrolment, ingest, person_keys, findings, assets};

  explicit ServerFixture(std::int64_t start_ms = 1'790'000'000'000) : clock(start_ms) {}

  // Replaces the hierarchy with `rows` (orgs.csv's, after its header).
  void ImportOrgs(const std::string& rows) {
    OrgService(store).Replace(test_orgs::ParseOrgRows(rows), digest::Sha256Hex(rows));
  }

  // Enrols the practice's agent straight in the store: agent "a-CODE",
  // certificate serial "s-CODE".
  AgentIdentity EnrolPractice(const std::string& practice) {
    AgentService(store).AddToken("t-" + practice, practice, clock.NowMillis() + 60'000);
    AgentService(store).EnrolWithToken("t-" + practice, [&](const std::string&) {
      return IssuedIdentity{"a-" + practice, "s-" + practice, 0};
    });
    return *AgentService(store).FindByCertificate("s-" + practice);
  }

  // A person whose bearer token is `token`.
  void AddUser(const std::string& id, const std::string& name, Role role, const std::string& scope,
               const std::string& token) {
    UserService(store).Add({id, name, role, scope}, digest::Sha256Hex(token), "test");
  }

  // A request with `token` as its bearer token ("" sends none).
  HttpResponse Call(const std::string& token, const std::string& method, const std::string& target,
                    const std::string& body = "") {
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    if (!token.empty()) request.headers["authorization"] = "Bearer " + token;
    return router.Handle(request);
  }
};

// The stable code of an error reply: an RFC 9457 problem document whose
// status, type and code agree, with a title and a detail. Anything else is a
// note saying what is wrong with it, which no test expects as a code.
inline std::string ErrorCodeOf(const HttpResponse& response) {
  if (response.content_type != "application/problem+json") {
    return "(not a problem document: " + response.content_type + " " + response.body + ")";
  }
  std::error_code ec;
  boost::json::value parsed = boost::json::parse(response.body, ec);
  const boost::json::object* problem = ec ? nullptr : parsed.if_object();
  auto text = [problem](const char* name) -> std::string {
    const boost::json::value* v = problem ? problem->if_contains(name) : nullptr;
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  const boost::json::value* status = problem ? problem->if_contains("status") : nullptr;
  std::string code = text("code");
  if (code.empty() || text("type") != "urn:tributary:problem:" + code || text("title").empty() ||
      text("detail").empty() || status == nullptr || !status->is_int64() ||
      status->as_int64() != response.status) {
    return "(a malformed problem document: " + response.body + ")";
  }
  return code;
}

}  // namespace tributary::server::testing
