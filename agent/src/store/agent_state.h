// The agent's own state inside its store, a small key/value table:
// "practice", "server_url", "last_seq", "acknowledged_seq", "attempted_seq",
// "pull_cursor", "last_sync", "last_error", "hlc_last", "schema_version", ...
//
// Works on the caller's connection; a Set inside the caller's transaction
// commits with it. Not thread-safe. Failures throw tributary::Error:
// kDatabase, kCorruption for a number that cannot be read back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tributary/common/sqlite.h"

namespace tributary::agent {

class AgentState {
 public:
  // `db` must outlive the state.
  explicit AgentState(sqlite::Database& db) : db_(db) {}

  static void CreateSchema(sqlite::Database& db);

  std::optional<std::string> Get(const std::string& key);
  void Set(const std::string& key, const std::string& value);
  void Remove(const std::string& key);
  // A number kept under `key`, 0 when absent.
  std::uint64_t Number(const std::string& key);

 private:
  sqlite::Database& db_;
};

}  // namespace tributary::agent
