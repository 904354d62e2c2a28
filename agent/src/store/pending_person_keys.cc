#include "store/pending_person_keys.h"

#include "tributary/common/digest.h"

namespace tributary::agent {
namespace {

constexpr std::string_view kPrefix = "pending-";

}  // namespace

bool IsPendingPersonKey(std::string_view key) { return key.substr(0, kPrefix.size()) == kPrefix; }

std::string NewPendingPersonKey() { return std::string(kPrefix) + digest::RandomHex(16); }

void PendingPersonKeys::CreateSchema(sqlite::Database& db) {
  db.Exec(R"sql(
-- People whose person key the server has not made yet; their records are held.
CREATE TABLE IF NOT EXISTS pending_person_keys (
  identity    TEXT PRIMARY KEY,
  placeholder TEXT NOT NULL UNIQUE,
  since       TEXT NOT NULL
) WITHOUT ROWID;
)sql");
}

std::optional<std::string> PendingPersonKeys::PlaceholderFor(const std::string& identity) {
  auto stmt = db_.Prepare("SELECT placeholder FROM pending_person_keys WHERE identity = ?");
  stmt.Bind(1, identity);
  if (!stmt.Step()) return std::nullopt;
  return stmt.ColumnText(0);
}

void PendingPersonKeys::Add(const std::string& identity, const std::string& placeholder,
                            const std::string& since) {
  auto stmt = db_.Prepare(
      "INSERT INTO pending_person_keys (identity, placeholder, since) VALUES (?, ?, ?) "
      "ON CONFLICT (identity) DO NOTHING");
  stmt.Bind(1, identity).Bind(2, placeholder).Bind(3, since);
  stmt.Run();
}

std::vector<AwaitingPerson> PendingPersonKeys::All() {
  auto stmt = db_.Prepare(
      "SELECT identity, placeholder, since FROM pending_person_keys ORDER BY since, identity");
  std::vector<AwaitingPerson> people;
  while (stmt.Step()) {
    people.push_back({stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnText(2)});
  }
  return people;
}

void PendingPersonKeys::Remove(const std::string& identity) {
  auto stmt = db_.Prepare("DELETE FROM pending_person_keys WHERE identity = ?");
  stmt.Bind(1, identity);
  stmt.Run();
}

}  // namespace tributary::agent
