// Central corrections and the conflicts they can meet (docs/design.md: a
// conflict is kept, shown to the PCN manager and resolved by a person, never
// silently overwritten). A person's value is written with a version above
// both the record's and the clock's, logged and audited with the value it
// replaced, makes a new revision of its return (in a closed month too), and
// reaches the practice as a "correction" notice.
//
// Works inside the caller's unit of work (reconcile/correction_service.h is
// the door people's corrections come through). Not thread-safe on its own;
// the store serialises it. Failures throw
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
#include "store/store_transaction.h"
#include "tributary/common/dataset.h"

namespace tributary::server {

class Corrections {
 public:
  // `transaction` must outlive this object; what it writes is audited there.
  Corrections(StoreTransaction& transaction, MonthClosed month_closed)
      : transaction_(transaction), db_(transaction.db()), month_closed_(std::move(month_closed)) {}

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

  StoreTransaction& transaction_;
  db::Connection& db_;
  MonthClosed month_closed_;
};

}  // namespace tributary::server
