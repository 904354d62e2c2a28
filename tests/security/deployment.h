// What the negative-security suite attacks: a running server holding the
// sample ICS's organisations, with one enrolled agent (T01100), and the
// clients an attacker would use against it. Everything lives in a TempDir;
// the server is killed when the test ends, pass or fail.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster.h"
#include "sync/https_client.h"
#include "tributary/protocol/messages.h"

namespace tributary::testing {

class Deployment {
 public:
  // `server_toml`: settings for `serve` beyond the defaults.
  explicit Deployment(const std::string& server_toml = "");

  ServerUnderTest& server() { return server_; }
  AgentUnderTest& agent() { return agent_; }
  const TempDir& dir() const { return dir_; }

  // Presents the enrolled agent's own certificate and key.
  agent::HttpsClient AgentClient() const;
  // Trusts the server's CA and presents no certificate: anyone on the network.
  agent::HttpsClient StrangerClient() const;
  // A person's bearer token (`user add`).
  std::string UserToken(const std::string& role, const std::string& scope);

  // POSTs `batch` to /v1/sync/push as `client` sends it, uncompressed.
  agent::HttpsResponse Push(agent::HttpsClient& client, const protocol::PushBatch& batch);

 private:
  TempDir dir_;
  ServerUnderTest server_;
  AgentUnderTest agent_;
};

// A list-size change of practice `practice` for 2026-08-DAY, seq `seq`.
protocol::Change ListSizeChange(const std::string& practice, std::uint64_t seq, int day);
// A batch of `practice` holding `changes`, its seq range theirs.
protocol::PushBatch BatchOf(const std::string& practice, std::vector<protocol::Change> changes);

// The error code of a problem document ("" when the body is not one).
std::string ErrorCodeOf(const agent::HttpsResponse& response);

}  // namespace tributary::testing
