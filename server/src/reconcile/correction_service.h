// Records as a PCN or ICS manager corrects them centrally, and the conflicts
// such a correction can meet (docs/design.md: a conflict is kept, shown and
// resolved by a person, never silently overwritten). Each call is one unit of
// work of the store (store/server_store.h); the rules are
// reconcile/corrections.h's, the tables reconcile/record_log.h's and
// reconcile/conflict_book.h's.
//
// Failures throw tributary::Error: kConflict for a stale base version or a
// locked return, kInvalidArgument, kNotFound (reconcile/corrections.h), and
// the store's own. Thread-safe as the store is; holds only a reference to
// the store, which must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reconcile/conflict_book.h"
#include "tributary/common/dataset.h"

namespace tributary::server {

class ServerStore;

class CorrectionService {
 public:
  explicit CorrectionService(ServerStore& store) : store_(store) {}

  // The record's fields and version as held now; nullopt when there is none.
  std::optional<std::pair<FieldMap, std::uint64_t>> FindRecord(const std::string& practice,
                                                               const std::string& dataset,
                                                               const std::string& key);
  // A person corrects a record. `base_version` must be the version they
  // read, else Error(kConflict). The practice hears of it through its feed.
  // Audited with the previous value. Returns the new version.
  std::uint64_t Correct(const std::string& practice, const std::string& dataset,
                        const FieldMap& fields, std::uint64_t base_version,
                        const std::string& actor);
  // Unresolved conflicts of these practices, read at one moment.
  std::vector<RecordConflict> OpenConflicts(const std::vector<std::string>& practices);
  std::optional<RecordConflict> FindConflict(std::int64_t id);
  // Resolves a conflict: keeps the practice's value, the central one, or
  // `fields` as a new value; the result reaches the practice through its
  // feed. Audited.
  void Resolve(std::int64_t id, ConflictChoice choice, const FieldMap& fields,
               const std::string& actor);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
