// The OpenAPI document (server/src/api/openapi.json) against the code: the
// operations it documents are exactly those the people's API serves, each
// with the token it needs and, where the API revalidates, its ETag and 304.
// What each operation answers is checked on a real server by the contract
// test (tests/api/test_contract.py).
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "api/api_document.h"
#include "server_fixture.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;

namespace {

namespace json = boost::json;

const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch", "head", "options"};

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

json::object Document() { return json::parse(OpenApiDocument()).as_object(); }

// "GET /v1/orgs" for every operation the document has.
std::set<std::string> DocumentedOperations(const json::object& document) {
  std::set<std::string> out;
  for (const auto& [path, item] : document.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (kMethods.count(std::string(method)) != 0) {
        std::string upper(method);
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        out.insert(upper + " " + std::string(path));
      }
    }
  }
  return out;
}

const json::object& OperationOf(const json::object& document, const ApiOperation& op) {
  return document.at("paths").at(op.path).at(Lower(op.method)).as_object();
}

}  // namespace

TEST_CASE("openapi: the compiled-in document is the repository's file, and is OpenAPI 3.1") {
  std::ifstream in(std::string(TRIBUTARY_SOURCE_DIR) + "/server/src/api/openapi.json");
  std::stringstream file;
  file << in.rdbuf();
  CHECK(file.str() == OpenApiDocument());
  json::object document = Document();
  CHECK(document.at("openapi") == "3.1.0");
}

TEST_CASE("openapi: the document has every operation the API serves, and no other") {
  ServerFixture f;
  PeopleApi api(f.store, f.findings);
  std::set<std::string> served;
  for (const ApiOperation& op : api.Operations()) served.insert(op.method + " " + op.path);
  CHECK(served.size() == api.Operations().size());  // no operation twice
  CHECK(DocumentedOperations(Document()) == served);
}

TEST_CASE("openapi: each operation says whether it needs a token, as the API does") {
  ServerFixture f;
  PeopleApi api(f.store, f.findings);
  json::object document = Document();
  REQUIRE(document.at("components").at("securitySchemes").as_object().contains("bearerToken"));
  for (const ApiOperation& op : api.Operations()) {
    INFO(op.method << " " << op.path);
    const json::object& operation = OperationOf(document, op);
    const json::value* security = operation.if_contains("security");
    bool documented_public = security != nullptr && security->as_array().empty();
    CHECK(documented_public == !op.needs_token);
    const json::object& responses = operation.at("responses").as_object();
    CHECK(responses.contains("401") == op.needs_token);
  }
}

TEST_CASE("openapi: operations that revalidate document their ETag, If-None-Match and 304") {
  ServerFixture f;
  PeopleApi api(f.store, f.findings);
  json::object document = Document();
  for (const ApiOperation& op : api.Operations()) {
    INFO(op.method << " " << op.path);
    const json::object& operation = OperationOf(document, op);
    const json::object& responses = operation.at("responses").as_object();
    CHECK(responses.contains("304") == op.revalidates);
    if (!op.revalidates) continue;
    CHECK(responses.at("200").as_object().contains("headers"));
    bool names_if_none_match = false;
    for (const json::value& p : operation.at("parameters").as_array()) {
      std::string ref = p.as_object().contains("$ref") ? std::string(p.at("$ref").as_string()) : "";
      names_if_none_match |= ref.find("IfNoneMatch") != std::string::npos ||
                             (p.as_object().contains("name") && p.at("name") == "If-None-Match");
    }
    CHECK(names_if_none_match);
  }
}

TEST_CASE("openapi: GET /v1/openapi.json serves the document without a token, with an ETag") {
  ServerFixture f;
  HttpResponse response = f.Call("", "GET", "/v1/openapi.json");
  REQUIRE(response.status == 200);
  CHECK(response.content_type == "application/json");
  CHECK(response.body == OpenApiDocument());
  std::string etag;
  for (const auto& [name, value] : response.headers) {
    if (name == "ETag") etag = value;
  }
  REQUIRE_FALSE(etag.empty());
  HttpRequest again;
  again.method = "GET";
  again.target = "/v1/openapi.json";
  again.headers["if-none-match"] = etag;
  HttpResponse revalidated = f.router.Handle(again);
  CHECK(revalidated.status == 304);
  CHECK(revalidated.body.empty());
  CHECK(ErrorCodeOf(f.Call("", "POST", "/v1/openapi.json")) == "method_not_allowed");
  CHECK(ErrorCodeOf(f.Call("", "GET", "/v1/openapi.json?x=1")) == "invalid_argument");
}

TEST_CASE(
    "openapi: a route that takes another method is 405 naming it in Allow, before any token") {
  ServerFixture f;
  HttpResponse response = f.Call("", "DELETE", "/v1/returns/approve");
  CHECK(ErrorCodeOf(response) == "method_not_allowed");
  bool allow = false;
  for (const auto& [name, value] : response.headers) allow |= name == "Allow" && value == "POST";
  CHECK(allow);
}
