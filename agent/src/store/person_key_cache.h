// The person keys this practice has had made (importer/person_keyer.h), by
// identity, so each person is keyed with the server once: imports of people
// already known work offline, and the practice asks the server for no more
// than its own staff. It holds only the practice's own people, whose
// identifiers the practice holds anyway (store/people_table.h).
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe. Failures throw tributary::Error(kDatabase).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tributary/common/sqlite.h"

namespace tributary::agent {

class PersonKeyCache {
 public:
  // `db` must outlive the cache.
  explicit PersonKeyCache(sqlite::Database& db) : db_(db) {}

  static void CreateSchema(sqlite::Database& db);

  // The keys known for these identities; those not known are left out.
  std::map<std::string, std::string> Find(const std::vector<std::string>& identities);
  void Remember(const std::map<std::string, std::string>& key_by_identity);

 private:
  sqlite::Database& db_;
};

}  // namespace tributary::agent
