// Conflicts inside the server's store: a practice's change based on a version
// that a central correction has since replaced. Both values are kept — the
// central one in the record, the practice's here — until a person chooses
// (reconcile/corrections.h); nothing is silently overwritten.
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe on its own; ServerStore serialises it. Failures throw
// tributary::Error: kDatabase, kCorruption for stored values it cannot read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "database/connection.h"
#include "tributary/common/dataset.h"

namespace tributary::server {

// A practice's change that met a central correction made since its base.
struct RecordConflict {
  std::int64_t id = 0;
  std::string practice;
  std::string dataset;
  std::string record_key;
  std::string period;
  std::string practice_op;                 // "upsert" or "delete"
  FieldMap practice_fields;                // empty for a delete
  std::optional<FieldMap> central_fields;  // nullopt when the record is gone centrally
  std::uint64_t current_version = 0;
};

enum class ConflictChoice { kPractice, kCentral, kNew };

// One conflicting change to keep.
struct ConflictingChange {
  std::string practice;
  std::string dataset;
  std::string key;
  std::string agent_id;
  std::uint64_t seq = 0;
  std::string op;      // "upsert" or "delete"
  std::string fields;  // canonical JSON; "" for a delete
  std::uint64_t version = 0;
  std::uint64_t base_version = 0;
  std::uint64_t current_version = 0;  // the version it met
};

class ConflictBook {
 public:
  // `db` must outlive the book.
  explicit ConflictBook(db::Connection& db) : db_(db) {}

  static void CreateSchema(db::Connection& db);

  void Add(const ConflictingChange& change, std::int64_t now_ms);
  // The practice's unresolved conflicts, oldest first.
  std::vector<std::int64_t> OpenIds(const std::string& practice);
  // An unresolved conflict with the record's central value now.
  std::optional<RecordConflict> Find(std::int64_t id);
  void MarkResolved(std::int64_t id, const std::string& resolution, const std::string& actor,
                    std::int64_t now_ms);

 private:
  db::Connection& db_;
};

}  // namespace tributary::server
