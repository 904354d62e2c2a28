// The returns ledger inside the server's store: each return's state and
// revision, its history, and the records as they stood when it was approved
// (so a later change shows value by value). Works on the caller's database
// connection inside the caller's transaction; not thread-safe on its own.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "returns/return_state.h"
#include "tributary/common/sqlite.h"

namespace tributary::server {

struct ReturnKey {
  std::string practice;
  std::string dataset;  // workforce, appointments, list_size
  std::string period;   // YYYY-MM
  std::string ToString() const { return practice + "/" + dataset + "/" + period; }
};

struct ReturnStatus {
  ReturnKey key;
  ReturnState state = ReturnState::kOpen;
  std::int64_t revision = 1;
  std::string query_comment;   // the last query, shown to the practice
  std::string updated_by;
  std::int64_t updated_at_ms = 0;
};

// One value that differs from the approved revision.
struct ValueChange {
  std::string record_key;
  std::string field;      // empty when the whole record was added or removed
  std::string approved;   // "" when added
  std::string current;    // "" when removed
};

class ReturnBook {
 public:
  explicit ReturnBook(sqlite::Database& db) : db_(db) {}

  static void CreateSchema(sqlite::Database& db);

  // A return nobody has acted on yet is open, revision 1.
  ReturnStatus Get(const ReturnKey& key);

  // Moves the return, recording who, when and why. Throws Error(kConflict)
  // naming the state when the move is illegal. On approval the records are
  // kept as the approved revision.
  ReturnStatus Apply(const ReturnKey& key, ReturnAction action, const std::string& actor,
                     const std::string& comment, std::int64_t now_ms);

  // A record of the return changed: an approved return reopens as a new
  // revision; other states are unchanged.
  void OnDataChanged(const ReturnKey& key, const std::string& actor, std::int64_t now_ms);

  // Differences between the current records and the approved revision.
  std::vector<ValueChange> ChangesSinceApproval(const ReturnKey& key);

 private:
  void SnapshotApproved(const ReturnKey& key);

  sqlite::Database& db_;
  // States read or written through this book: a batch of thousands of
  // changes to one return reads its state once.
  std::map<std::string, ReturnStatus> known_;
};

}  // namespace tributary::server
