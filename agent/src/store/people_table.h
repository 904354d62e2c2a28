// Who is behind each person key, inside the agent's store. These details
// never leave the practice (docs/design.md invariant 7): the records that
// sync carry only the key.
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe. Failures throw tributary::Error(kDatabase).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tributary/common/sqlite.h"

namespace tributary::agent {

// A person's identifying details, which stay at the practice.
struct Person {
  std::string person_key;
  std::string staff_id;
  std::string given_name;
  std::string family_name;
  std::string registration_body;
  std::string registration_number;
  std::string employer_code;
  std::string employer_staff_id;
  // The identity the key is made from ("GMC:1234567"); set by the importer,
  // not kept in this table (store/pending_person_keys.h keeps it while the
  // key is pending, store/person_key_cache.h once it is made).
  std::string identity;
};

class PeopleTable {
 public:
  // `db` must outlive the table.
  explicit PeopleTable(sqlite::Database& db) : db_(db) {}

  static void CreateSchema(sqlite::Database& db);

  // Adds the person, or updates the details kept under their key.
  void Save(const Person& person);
  std::optional<Person> FindByStaffId(const std::string& staff_id);
  std::optional<Person> Find(const std::string& person_key);
  // Everyone, by person key.
  std::vector<Person> All();
  void Remove(const std::string& person_key);

 private:
  sqlite::Database& db_;
};

}  // namespace tributary::agent
