// How many person keys each practice has had evaluated each day (UTC), so
// that a practice asking for far more than its staff is refused: a stolen
// agent identity cannot walk the registers of professional registrations
// through the server's OPRF key (person_keys/person_key_service.h).
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe on its own; ServerStore serialises it. Failures throw
// tributary::Error(kDatabase).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "database/connection.h"

namespace tributary::server {

class EvaluationBudget {
 public:
  // `db` must outlive the budget.
  explicit EvaluationBudget(db::Connection& db) : db_(db) {}

  static void CreateSchema(db::Connection& db);

  // Adds `count` to the practice's evaluations on `day` (YYYY-MM-DD) and
  // gives the new total, unless that would pass `daily_limit`: then nothing
  // is added and nullopt is given.
  std::optional<std::int64_t> Take(const std::string& practice, const std::string& day,
                                   std::int64_t count, std::int64_t daily_limit);
  // The practice's evaluations on `day` so far.
  std::int64_t Used(const std::string& practice, const std::string& day);

 private:
  db::Connection& db_;
};

}  // namespace tributary::server
