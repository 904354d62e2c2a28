// People new to the practice whose person key the server has not made yet.
// An import or `staff add` never waits for the network (nothing is refused for
// want of it but `enrol` and `sync`): a new person's records are kept under a
// placeholder key ("pending-" and 32 hex digits, random, never a person key),
// held back from the outbox (store/record_table.h `held`), and the next sync
// asks the server for the real key and releases them as ordinary changes
// (LocalStore::ReleaseKeyedPeople). A placeholder is never sent: it is not a
// person key, and held records never reach the outbox.
//
// The identity ("GMC:1234567") is kept here, in the encrypted store, as the
// people table keeps names (docs/design.md invariant 7): it never leaves the
// practice; the server is sent only its blinded form.
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe. Failures throw tributary::Error(kDatabase).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/common/sqlite.h"

namespace tributary::agent {

// True for a placeholder made by NewPendingPersonKey.
bool IsPendingPersonKey(std::string_view key);
// A fresh placeholder: "pending-" and 32 random hex digits.
std::string NewPendingPersonKey();

struct AwaitingPerson {
  std::string identity;
  std::string placeholder;
  std::string since;  // ISO time the person was first recorded here
};

class PendingPersonKeys {
 public:
  // `db` must outlive the table.
  explicit PendingPersonKeys(sqlite::Database& db) : db_(db) {}

  static void CreateSchema(sqlite::Database& db);

  // The placeholder already given to `identity`, if any.
  std::optional<std::string> PlaceholderFor(const std::string& identity);
  // Records that `identity` waits under `placeholder` since `since`; an
  // identity already waiting keeps its first placeholder and time.
  void Add(const std::string& identity, const std::string& placeholder, const std::string& since);
  // Everyone waiting, oldest first.
  std::vector<AwaitingPerson> All();
  void Remove(const std::string& identity);

 private:
  sqlite::Database& db_;
};

}  // namespace tributary::agent
