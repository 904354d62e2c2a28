// The returns a PCN manager reconciles, as people and commands reach them:
// read, moved by a person (at the revision they read), approved in bulk,
// compared with their approval, their history and the changes refused.
// Each call is one unit of work of the store (store/server_store.h); what
// it changes is audited in the same transaction. The rules of a return's
// states are returns/return_state.h's; its tables returns/return_book.h's.
//
// Failures throw tributary::Error: kConflict for an illegal move or a
// return that moved on from the revision given (RequireRevision), and the
// store's own. Thread-safe as the store is; cheap to make (it holds only a
// reference to the store, which must outlive it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reconcile/quarantine.h"
#include "returns/return_book.h"
#include "returns/return_state.h"

namespace tributary::server {

class ServerStore;

// Throws Error(kConflict) unless the return is at `expected` (docs/design.md
// invariant 8: a person acts on the revision they read). `then` ends the
// message: what happens now ("look at it again", "nothing was approved").
void RequireRevision(const ReturnStatus& now, std::int64_t expected, const std::string& then);

class ReturnService {
 public:
  explicit ReturnService(ServerStore& store) : store_(store) {}

  ReturnStatus Get(const ReturnKey& key);
  // Every return of these practices for the month: one per dataset.
  std::vector<ReturnStatus> Of(const std::vector<std::string>& practices,
                               const std::string& period);
  // A person acts on a return. `expected_revision`, when given, must be its
  // revision now. An illegal move throws Error(kConflict). Audited.
  ReturnStatus Act(const ReturnKey& key, ReturnAction action, const std::string& actor,
                   const std::string& comment,
                   std::optional<std::int64_t> expected_revision = std::nullopt);
  // Approves exactly these returns, each submitted at its revision, all or
  // none. Audited, each.
  void ApproveAll(const std::vector<std::pair<ReturnKey, std::int64_t>>& returns,
                  const std::string& actor);
  std::vector<ValueChange> ChangesSinceApproval(const ReturnKey& key);
  // The return's history, oldest first.
  std::vector<ReturnEvent> History(const ReturnKey& key);
  // The practice's changes to this return that were kept but not applied
  // (invalid, or the month closed, or the return locked), latest first.
  std::vector<RefusedChange> RefusedChanges(const ReturnKey& key);
  // Why each of them was refused, latest first.
  std::vector<std::string> RefusedReasons(const ReturnKey& key);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
