// Central corrections and the conflicts they can meet (docs/design.md: a
// conflict is kept, shown to the PCN manager and resolved by a person, never
// silently overwritten). A person's value is written with a version above
// both the record's and the clock's, logged and audited with the value it
// replaced, makes a new revision of its return (in a closed month too), and
// reaches the practice as a "correction" notice.
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe on its own; ServerStore serialises it. Failures throw
// tributary::Error: kInvalidArgument (not a dataset; a new value changing the
// key), kConflict (a stale base version, a locked return), kNotFound (no open
// conflict), kDatabase.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "database/connection.h"
#include "reconcile/conflict_book.h"
#include "reconcile/month_changes.h"
#include "tributary/common/dataset.h"

namespace tributary::server {

class Corrections {
 public:
  // `db` must outlive this object. `audit_key` keys its audit entries
  // (audit/audit_log.h).
  Corrections(db::Connection& db, MonthClosed month_closed, std::string audit_key)
      : db_(db), month_closed_(std::move(month_closed)), audit_key_(std::move(audit_key)) {}

  // A person corrects a record; `base_version` must be the version they
  // read (0: the record did not exist). Returns the new version.
  std::uint64_t Correct(const std::string& practice, const std::string& dataset,
                        const FieldMap& fields, std::uint64_t base_version,
                        const std::string& actor, std::int64_t now_ms);

  // Resolves an open conflict: keeps the practice's value, the central one,
  // or `fields` as a new value (with the record's key).
  void Resolve(std::int64_t id, ConflictChoice choice, const FieldMap& fields,
               const std::string& actor, std::int64_t now_ms);

 private:
  // Writes `fields` (nullopt: removes the record) as its central value.
  std::uint64_t WriteCentral(const std::string& practice, const std::string& dataset,
                             const std::string& key, const std::optional<FieldMap>& fields,
                             const std::string& actor, std::int64_t now_ms);

  db::Connection& db_;
  MonthClosed month_closed_;
  std::string audit_key_;
};

}  // namespace tributary::server
