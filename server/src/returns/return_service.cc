#include "returns/return_service.h"

#include "store/server_store.h"
#include "tributary/common/dataset.h"
#include "tributary/common/error.h"

namespace tributary::server {

void RequireRevision(const ReturnStatus& now, std::int64_t expected, const std::string& then) {
  if (now.revision == expected) return;
  throw Error::Conflict("the " + now.key.ToString() + " return is now at revision " +
                        std::to_string(now.revision) + ", not " + std::to_string(expected) + "; " +
                        then);
}

ReturnStatus ReturnService::Get(const ReturnKey& key) {
  return store_.Read([&](StoreReading& r) { return ReturnBook(r.db()).Get(key); });
}

std::vector<ReturnStatus> ReturnService::Of(const std::vector<std::string>& practices,
                                            const std::string& period) {
  return store_.Read([&](StoreReading& r) {
    ReturnBook book(r.db());
    std::vector<ReturnStatus> out;
    for (const std::string& practice : practices) {
      for (const DatasetDecl* dataset : datasets::All()) {
        out.push_back(book.Get({practice, std::string(dataset->name), period}));
      }
    }
    return out;
  });
}

ReturnStatus ReturnService::Act(const ReturnKey& key, ReturnAction action, const std::string& actor,
                                const std::string& comment,
                                std::optional<std::int64_t> expected_revision) {
  return store_.Write([&](StoreTransaction& t) {
    ReturnBook book(t.db());
    if (expected_revision) RequireRevision(book.Get(key), *expected_revision, "look at it again");
    ReturnStatus after = book.Apply(key, action, actor, comment, t.NowMs());
    t.Audit(actor, "return_" + std::string(ReturnActionName(action)), key.ToString(),
            "revision " + std::to_string(after.revision) + (comment.empty() ? "" : ": " + comment));
    return after;
  });
}

void ReturnService::ApproveAll(const std::vector<std::pair<ReturnKey, std::int64_t>>& returns,
                               const std::string& actor) {
  store_.Write([&](StoreTransaction& t) {
    ReturnBook book(t.db());
    std::int64_t now = t.NowMs();
    for (const auto& [key, revision] : returns) {
      ReturnStatus status = book.Get(key);
      RequireRevision(status, revision, "nothing was approved");
      if (status.state != ReturnState::kSubmitted) {
        throw Error::Conflict("the " + key.ToString() + " return is " +
                              std::string(ReturnStateName(status.state)) +
                              " since the preview; nothing was approved");
      }
      book.Apply(key, ReturnAction::kApprove, actor, "bulk approval", now);
      t.Audit(actor, "return_approve", key.ToString(),
              "revision " + std::to_string(revision) + " (bulk)");
    }
  });
}

std::vector<ValueChange> ReturnService::ChangesSinceApproval(const ReturnKey& key) {
  return store_.Read([&](StoreReading& r) { return ReturnBook(r.db()).ChangesSinceApproval(key); });
}

std::vector<ReturnEvent> ReturnService::History(const ReturnKey& key) {
  return store_.Read([&](StoreReading& r) { return ReturnBook(r.db()).History(key); });
}

std::vector<RefusedChange> ReturnService::RefusedChanges(const ReturnKey& key) {
  return store_.Read([&](StoreReading& r) { return Quarantine(r.db()).Of(key); });
}

std::vector<std::string> ReturnService::RefusedReasons(const ReturnKey& key) {
  std::vector<std::string> reasons;
  for (const RefusedChange& r : RefusedChanges(key)) reasons.push_back(r.reasons);
  return reasons;
}

}  // namespace tributary::server
