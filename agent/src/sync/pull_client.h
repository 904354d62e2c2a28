// Reads what the server has to tell this practice (GET /v1/sync/pull) and
// applies it: return states and PCN managers' queries, and the practice's
// place in the hierarchy. Each reply is applied with its cursor in one local
// transaction, so a cut connection or a kill at any point neither loses nor
// repeats a notice: the next pull resumes from the saved cursor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "store/local_store.h"
#include "sync/transport.h"

namespace tributary::agent {

class PullClient {
 public:
  // `store` and `client` must outlive the PullClient.
  PullClient(LocalStore& store, Transport& client, std::string server_url)
      : store_(store), client_(client), server_url_(std::move(server_url)) {}

  // Pulls until the server has nothing more; returns how many notices were
  // new. Throws tributary::Error as PushClient::PushAll does.
  std::size_t PullAll();
  // What the last reply said the server holds of this agent's changes.
  std::optional<std::uint64_t> server_acknowledged() const { return server_acknowledged_; }

 private:
  LocalStore& store_;
  Transport& client_;
  std::string server_url_;
  std::optional<std::uint64_t> server_acknowledged_;
};

}  // namespace tributary::agent
