#include "store/agent_state.h"

#include "tributary/common/error.h"

namespace tributary::agent {

void AgentState::CreateSchema(sqlite::Database& db) {
  db.Exec(R"sql(
CREATE TABLE IF NOT EXISTS state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql");
}

std::optional<std::string> AgentState::Get(const std::string& key) {
  auto stmt = db_.Prepare("SELECT value FROM state WHERE key = ?");
  stmt.Bind(1, key);
  if (!stmt.Step()) return std::nullopt;
  return stmt.ColumnText(0);
}

void AgentState::Set(const std::string& key, const std::string& value) {
  auto stmt = db_.Prepare(
      "INSERT INTO state (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  stmt.Bind(1, key).Bind(2, value);
  stmt.Run();
}

std::uint64_t AgentState::Number(const std::string& key) {
  std::optional<std::string> text = Get(key);
  if (!text) return 0;
  if (text->empty() || text->size() > 20 ||
      text->find_first_not_of("0123456789") != std::string::npos) {
    throw Error::Corruption("the agent's " + key + " '" + *text + "' is not a number");
  }
  try {
    return std::stoull(*text);
  } catch (const std::out_of_range&) {
    throw Error::Corruption("the agent's " + key + " '" + *text + "' is out of range");
  }
}

void AgentState::Remove(const std::string& key) {
  auto stmt = db_.Prepare("DELETE FROM state WHERE key = ?");
  stmt.Bind(1, key);
  stmt.Run();
}

}  // namespace tributary::agent
