// An agent's store as the agent keeps it in its data directory: encrypted
// with the key beside it (agent/src/store/store_encryption.h). For tests
// that read or seed a store behind the agent's back. Header-only.
#pragma once

#include <filesystem>
#include <string>

#include "tributary/common/files.h"
#include "tributary/common/sqlite.h"

namespace tributary::testing {

// DATA_DIR/store.key's key; "" when the agent has not made one yet.
inline std::string AgentStoreKey(const std::filesystem::path& data_dir) {
  std::filesystem::path file = data_dir / "store.key";
  if (!std::filesystem::exists(file)) return "";
  std::string key = files::Read(file);
  while (!key.empty() && (key.back() == '\n' || key.back() == ' ')) key.pop_back();
  return key;
}

// DATA_DIR/agent.db, opened with its key.
inline sqlite::Database OpenAgentStore(const std::filesystem::path& data_dir) {
  return sqlite::Database::Open(data_dir / "agent.db", AgentStoreKey(data_dir));
}

// The store's bytes decrypted, as whoever holds the data directory (and so
// the key beside the store) can have them: a plain copy written to `scratch`
// and read back.
inline std::string DecryptedStoreBytes(const std::filesystem::path& data_dir,
                                       const std::filesystem::path& scratch) {
  std::filesystem::remove(scratch);
  {
    sqlite::Database db = OpenAgentStore(data_dir);
    db.Exec("ATTACH DATABASE '" + scratch.string() +
            "' AS plain KEY '';"
            "SELECT sqlcipher_export('plain');"
            "DETACH DATABASE plain;");
  }
  return files::Read(scratch);
}

}  // namespace tributary::testing
