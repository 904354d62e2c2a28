// The returns ledger inside the server's store: each return's state and
// revision (returns/return_state.h), its history, and the records as they
// stood when it was approved (so a later change shows value by value).
//
// Works on the caller's database connection inside the caller's transaction:
// everything it writes commits or rolls back with the caller's change. Not
// thread-safe on its own; ServerStore serialises it. Failures throw
// tributary::Error: kConflict for an illegal move, kDatabase for SQLite's
// errors and for a stored state it cannot read.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "database/connection.h"
#include "returns/return_state.h"

namespace tributary::server {

struct ReturnKey {
  std::string practice;
  std::string dataset;  // workforce, appointments, list_size
  std::string period;   // YYYY-MM
  std::string ToString() const { return practice + "/" + dataset + "/" + period; }
  bool operator<(const ReturnKey& other) const {
    return std::tie(practice, dataset, period) <
           std::tie(other.practice, other.dataset, other.period);
  }
};

struct ReturnStatus {
  ReturnKey key;
  ReturnState state = ReturnState::kOpen;
  std::int64_t revision = 0;                      // 0 until the records first change
  std::optional<std::int64_t> approved_revision;  // the revision last approved
  std::string query_comment;                      // the last query, shown to the practice
  std::string updated_by;
  std::int64_t updated_at_ms = 0;
};

// One entry of a return's history.
struct ReturnEvent {
  std::int64_t revision = 0;  // the revision it left the return at
  std::string action;         // "change", or a ReturnAction's name
  ReturnState from = ReturnState::kOpen;
  ReturnState to = ReturnState::kOpen;
  std::string actor;
  std::string comment;
  std::int64_t at_ms = 0;
  // A "change": how many records it wrote and removed.
  std::int64_t upserts = 0;
  std::int64_t deletes = 0;
};

// One value that differs from the approved revision.
struct ValueChange {
  std::string record_key;
  std::string field;     // empty when the whole record was added or removed
  std::string approved;  // "" when added
  std::string current;   // "" when removed
};

class ReturnBook {
 public:
  // `db` must outlive the book.
  explicit ReturnBook(db::Connection& db) : db_(db) {}

  // Creates the tables, or adds what a store made by an older server lacks.
  static void CreateSchema(db::Connection& db);

  // A return nobody has touched is open, revision 0.
  ReturnStatus Get(const ReturnKey& key);

  // Moves the return, recording who, when and why, and tells the practice.
  // Throws Error(kConflict) naming the state when the move is illegal. On
  // approval the records are kept as the approved revision.
  ReturnStatus Apply(const ReturnKey& key, ReturnAction action, const std::string& actor,
                     const std::string& comment, std::int64_t now_ms);

  // One of the return's records was written (or removed) in this transaction.
  void NoteChange(const ReturnKey& key, bool removed);

  // Ends the transaction's changes: every return noted since the last call
  // moves to its next revision, once, with a "change" event counting its
  // records; an approved return reopens, or, in a month for which
  // `month_closed` says true, goes back to its PCN manager (review), as a
  // queried one does there. The practice hears of each.
  void FinishChanges(const std::string& actor, std::int64_t now_ms,
                     const std::function<bool(const std::string& period)>& month_closed);

  // The return's history, oldest first.
  std::vector<ReturnEvent> History(const ReturnKey& key);

  // Differences between the current records and the approved revision.
  std::vector<ValueChange> ChangesSinceApproval(const ReturnKey& key);

 private:
  struct Pending {
    std::int64_t upserts = 0;
    std::int64_t deletes = 0;
  };

  void Save(const ReturnStatus& status);
  void RecordEvent(const ReturnStatus& after, std::string_view action, ReturnState from,
                   const std::string& comment, const Pending* counts);
  void Tell(const ReturnStatus& status);
  void SnapshotApproved(const ReturnKey& key);

  db::Connection& db_;
  // States read or written through this book: a batch of thousands of
  // changes to one return reads its state once.
  std::map<ReturnKey, ReturnStatus> known_;
  std::map<ReturnKey, Pending> pending_;
};

}  // namespace tributary::server
