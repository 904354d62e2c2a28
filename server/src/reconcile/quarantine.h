// A practice's changes the server keeps but does not apply: invalid ones,
// those to a month its ICS closed, and those to a locked return. Kept with
// their reasons, visible to the practice (in the push reply) and to its PCN
// manager (on the return), never blocking the rest of the practice's queue,
// and fixed by a later change or a central correction.
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe on its own; ServerStore serialises it. Failures throw
// tributary::Error(kDatabase).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "database/connection.h"
#include "returns/return_book.h"

namespace tributary::server {

// A practice's change the server kept but did not apply.
struct RefusedChange {
  std::uint64_t seq = 0;
  std::string record_key;
  std::string code;     // invalid, period_closed, return_locked
  std::string reasons;  // "FIELD: reason; ..."
  std::string fields;   // the change's canonical JSON; "" for a delete
  std::int64_t received_at_ms = 0;
};

// Why a change is kept but not applied.
enum class RefusalCode { kInvalid, kPeriodClosed, kReturnLocked };
// "invalid", "period_closed", "return_locked".
std::string_view RefusalCodeName(RefusalCode code);

class Quarantine {
 public:
  // `db` must outlive the quarantine.
  explicit Quarantine(db::Connection& db);

  // Creates the table, or adds the code a store made before schema 4 lacks.
  static void CreateSchema(db::Connection& db);

  void Keep(const std::string& agent_id, std::uint64_t seq, const std::string& practice,
            const std::string& dataset, const std::string& key, const std::string& period,
            const std::string& fields, const std::string& reasons, RefusalCode code,
            std::int64_t now_ms);

  // The return's refused changes (its submissions' too), latest first, at
  // most 50.
  std::vector<RefusedChange> Of(const ReturnKey& key);

 private:
  db::Connection& db_;
  db::Statement keep_;  // prepared once: a batch may keep thousands
};

}  // namespace tributary::server
