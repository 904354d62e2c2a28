// The organisation hierarchy inside the server's store: one row per
// organisation per span of validity, replaced whole by each `orgs import`
// (docs/decisions.md), with the SHA-256 of the file it came from so that the
// same file twice changes nothing.
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe on its own; ServerStore serialises it and caches the built
// OrgHierarchy. Failures throw tributary::Error: kDatabase, kCorruption for a
// stored organisation type it cannot read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "database/connection.h"
#include "orgs/organisation.h"

namespace tributary::server {

class HierarchyStore {
 public:
  // `db` must outlive the store.
  explicit HierarchyStore(db::Connection& db) : db_(db) {}

  static void CreateSchema(db::Connection& db);

  // Replaces the hierarchy with `organisations`, and tells each practice
  // where it sits, span by span (a "hierarchy" notice). Returns false,
  // changing nothing, when `file_sha256` is the last file imported.
  bool Replace(const std::vector<Organisation>& organisations, const std::string& file_sha256,
               std::int64_t now_ms);

  // Every span of every organisation, by code and start.
  std::vector<Organisation> All();

 private:
  db::Connection& db_;
};

}  // namespace tributary::server
