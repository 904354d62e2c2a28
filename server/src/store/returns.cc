// The returns a PCN manager reconciles (returns/return_book.h), as the
// store's users reach them: read, moved by a person, approved in bulk,
// compared with their approval, their history and refused changes. Part of
// ServerStore.
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
  sqlite::Transaction txn(db_);
  ReturnBook book(db_);
  if (expected_revision && book.Get(key).revision != *expected_revision) {
    throw Error::Conflict("the " + key.ToString() + " return is now at revision " +
                          std::to_string(book.Get(key).revision) + ", not " +
                          std::to_string(*expected_revision) + "; look at it again");
  }
  ReturnStatus after = book.Apply(key, action, actor, comment, NowMs());
  AppendAuditLocked(
      actor, "return_" + std::string(ReturnActionName(action)), key.ToString(),
      "revision " + std::to_string(after.revision) + (comment.empty() ? "" : ": " + comment));
  txn.Commit();
  return after;
}

void ServerStore::ApproveReturns(const std::vector<std::pair<ReturnKey, std::int64_t>>& returns,
                                 const std::string& actor) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction txn(db_);
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
    AppendAuditLocked(actor, "return_approve", key.ToString(),
                      "revision " + std::to_string(revision) + " (bulk)");
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
  auto stmt = db_.Prepare(
      "SELECT seq, record_key, code, reasons, coalesce(fields, ''), received_at_ms "
      "FROM quarantine WHERE practice = ? AND period = ? AND "
      "(dataset = ? OR (dataset = 'submission' AND json_extract(fields, '$.dataset') = ?)) "
      "ORDER BY received_at_ms DESC, seq DESC LIMIT 50");
  stmt.Bind(1, key.practice).Bind(2, key.period).Bind(3, key.dataset).Bind(4, key.dataset);
  std::vector<RefusedChange> out;
  while (stmt.Step()) {
    out.push_back({static_cast<std::uint64_t>(stmt.ColumnInt(0)), stmt.ColumnText(1),
                   stmt.ColumnText(2), stmt.ColumnText(3), stmt.ColumnText(4), stmt.ColumnInt(5)});
  }
  return out;
}

std::vector<std::string> ServerStore::QuarantineReasons(const ReturnKey& key) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare(
      "SELECT reasons FROM quarantine q WHERE practice = ? AND period = ? AND "
      "(dataset = ? OR (dataset = 'submission' AND json_extract(fields, '$.dataset') = ?)) "
      "ORDER BY received_at_ms DESC, seq DESC LIMIT 50");
  stmt.Bind(1, key.practice).Bind(2, key.period).Bind(3, key.dataset).Bind(4, key.dataset);
  std::vector<std::string> reasons;
  while (stmt.Step()) reasons.push_back(stmt.ColumnText(0));
  return reasons;
}

}  // namespace tributary::server
