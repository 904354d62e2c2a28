#include "person_keys/evaluation_budget.h"

namespace tributary::server {

void EvaluationBudget::CreateSchema(db::Connection& db) {
  db.ExecSchema(
      "CREATE TABLE IF NOT EXISTS person_key_evaluations ("
      " practice TEXT NOT NULL, day TEXT NOT NULL, evaluations INTEGER NOT NULL,"
      " PRIMARY KEY (practice, day))");
}

std::int64_t EvaluationBudget::Used(const std::string& practice, const std::string& day) {
  auto stmt =
      db_.Prepare("SELECT evaluations FROM person_key_evaluations WHERE practice = ? AND day = ?");
  stmt.Bind(1, practice).Bind(2, day);
  return stmt.Step() ? stmt.ColumnInt(0) : 0;
}

std::optional<std::int64_t> EvaluationBudget::Take(const std::string& practice,
                                                   const std::string& day, std::int64_t count,
                                                   std::int64_t daily_limit) {
  // Added first, in one statement: it holds the row until the transaction
  // ends, so two instances taking at once cannot both pass the limit.
  auto add = db_.Prepare(
      "INSERT INTO person_key_evaluations (practice, day, evaluations) VALUES (?, ?, ?) "
      "ON CONFLICT (practice, day) DO UPDATE "
      "SET evaluations = person_key_evaluations.evaluations + excluded.evaluations");
  add.Bind(1, practice).Bind(2, day).Bind(3, count);
  add.Run();
  std::int64_t total = Used(practice, day);
  if (total <= daily_limit) return total;
  auto undo = db_.Prepare(
      "UPDATE person_key_evaluations SET evaluations = evaluations - ? "
      "WHERE practice = ? AND day = ?");
  undo.Bind(1, count).Bind(2, practice).Bind(3, day);
  undo.Run();
  return std::nullopt;
}

}  // namespace tributary::server
