#include "deployment.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tributary/common/dataset.h"
#include "tributary/common/files.h"
#include "tributary/protocol/codec.h"

namespace tributary::testing {

Deployment::Deployment(const std::string& server_toml)
    : server_(dir_.path() / "server"), agent_(dir_.path() / "agent", "T01100") {
  RunResult orgs = server_.Command(
      {"orgs", "import",
       (SamplePractice("T01100").parent_path().parent_path() / "orgs.csv").string()});
  INFO(orgs.err);
  REQUIRE(orgs.exit_code == 0);
  if (!server_toml.empty()) server_.Configure(server_toml);
  server_.Start();
  agent_.Enrol(server_);
}

agent::HttpsClient Deployment::AgentClient() const {
  agent::HttpsClientOptions options;
  options.ca_certificate_pem = files::Read(agent_.data_dir() / "ca.pem");
  options.client_certificate_path = (agent_.data_dir() / "agent.pem").string();
  options.client_key_path = (agent_.data_dir() / "agent.key").string();
  return agent::HttpsClient(options);
}

agent::HttpsClient Deployment::StrangerClient() const {
  agent::HttpsClientOptions options;
  options.ca_certificate_pem = files::Read(server_.data_dir() / "ca.pem");
  return agent::HttpsClient(options);
}

std::string Deployment::UserToken(const std::string& role, const std::string& scope) {
  RunResult r = server_.Command(
      {"user", "add", "--name", "Sam Cole", "--role", role, "--scope", scope, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return std::string(boost::json::parse(r.out).at("token").as_string());
}

agent::HttpsResponse Deployment::Push(agent::HttpsClient& client,
                                      const protocol::PushBatch& batch) {
  return client.Post(server_.Url() + "/v1/sync/push", protocol::Encode(batch),
                     {"Content-Type: application/json"});
}

protocol::Change ListSizeChange(const std::string& practice, std::uint64_t seq, int day) {
  protocol::Change c;
  c.seq = seq;
  c.dataset = "list_size";
  c.fields = {{"extract_date", "2026-08-" + std::string(day < 10 ? "0" : "") + std::to_string(day)},
              {"practice", practice},
              {"patients", "6600"}};
  c.key = RecordKey(datasets::ListSize(), c.fields);
  c.version = 1000 + seq;
  return c;
}

protocol::PushBatch BatchOf(const std::string& practice, std::vector<protocol::Change> changes) {
  protocol::PushBatch batch;
  batch.practice = practice;
  batch.from_seq = changes.empty() ? 1 : changes.front().seq;
  batch.to_seq = changes.empty() ? 0 : changes.back().seq;
  batch.changes = std::move(changes);
  return batch;
}

std::string ErrorCodeOf(const agent::HttpsResponse& response) {
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(response.body, ec);
  if (ec || !body.is_object()) return "";
  const boost::json::object& o = body.as_object();
  if (const auto* code = o.if_contains("code"); code && code->is_string()) {
    return std::string(code->as_string());
  }
  if (const auto* error = o.if_contains("error"); error && error->is_object()) {
    if (const auto* code = error->as_object().if_contains("code"); code && code->is_string()) {
      return std::string(code->as_string());
    }
  }
  return "";
}

}  // namespace tributary::testing
