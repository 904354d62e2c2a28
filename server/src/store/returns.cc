// The returns a PCN manager reconciles (returns/return_book.h), as the
// store's users reach them: read, moved by a person, approved in bulk,
// compared with their approval, their history and refused changes. Part of
// ServerStore.
#include "audit/audit_log.h"
#include "store/server_store.h"
#include "tributary/common/dataset.h"
#include "tributary/common/error.h"

namespace tributary::server {

ReturnStatus ServerStore::GetReturn(const ReturnKey& key) {
  std::lock_guard lock(mutex_);
  return ReturnBook(db_).Get(key);
}

std::vector<ReturnStatus> ServerStore::ReturnsOf(const std::vector<std::string>& practices,
                                                 const std::string& period) {
  std::lock_guard lock(mutex_);
  ReturnBook book(db_);
  std::vector<ReturnStatus> out;
  for (const std::string& practice : practices) {
    for (const DatasetDecl* dataset : datasets::All()) {
      out.push_back(book.Get({practice, std::string(dataset->name), period}));
    }
  }
  return out;
}

ReturnStatus ServerStore::ActOnReturn(const ReturnKey& key, ReturnAction action,
                                      const std::string& actor, const std::string& comment,
                                      std::optional<std::int64_t> expected_revision) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  ReturnBook book(db_);
  if (expected_revision && book.Get(key).revision != *expected_revision) {
    throw Error::Conflict("the " + key.ToString() + " return is now at revision " +
                          std::to_string(book.Get(key).revision) + ", not " +
                          std::to_string(*expected_revision) + "; look at it again");
  }
  ReturnStatus after = book.Apply(key, action, actor, comment, NowMs());
  AuditLog(db_, audit_key_)
      .Append(
          actor, "return_" + std::string(ReturnActionName(action)), key.ToString(),
          "revision " + std::to_string(after.revision) + (comment.empty() ? "" : ": " + comment),
          NowMs());
  txn.Commit();
  return after;
}

void ServerStore::ApproveReturns(const std::vector<std::pair<ReturnKey, std::int64_t>>& returns,
                                 const std::string& actor) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  ReturnBook book(db_);
  std::int64_t now = NowMs();
  for (const auto& [key, revision] : returns) {
    ReturnStatus status = book.Get(key);
    if (status.revision != revision || status.state != ReturnState::kSubmitted) {
      throw Error::Conflict("the " + key.ToString() + " return changed since the preview (now " +
                            std::string(ReturnStateName(status.state)) + ", revision " +
                            std::to_string(status.revision) + "); nothing was approved");
    }
    book.Apply(key, ReturnAction::kApprove, actor, "bulk approval", now);
    AuditLog(db_, audit_key_)
        .Append(actor, "return_approve", key.ToString(),
                "revision " + std::to_string(revision) + " (bulk)", NowMs());
  }
  txn.Commit();
}

std::vector<ValueChange> ServerStore::ChangesSinceApproval(const ReturnKey& key) {
  std::lock_guard lock(mutex_);
  return ReturnBook(db_).ChangesSinceApproval(key);
}

std::vector<ReturnEvent> ServerStore::ReturnHistory(const ReturnKey& key) {
  std::lock_guard lock(mutex_);
  return ReturnBook(db_).History(key);
}

std::vector<RefusedChange> ServerStore::RefusedChanges(const ReturnKey& key) {
  std::lock_guard lock(mutex_);
  return Quarantine(db_).Of(key);
}

std::vector<std::string> ServerStore::QuarantineReasons(const ReturnKey& key) {
  std::vector<std::string> reasons;
  for (const RefusedChange& r : RefusedChanges(key)) reasons.push_back(r.reasons);
  return reasons;
}

}  // namespace tributary::server
