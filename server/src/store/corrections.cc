// Records, central corrections and conflicts as the store's users reach them
// (reconcile/corrections.h, reconcile/conflict_book.h). Part of ServerStore.
#include "reconcile/corrections.h"

#include "reconcile/record_log.h"
#include "store/server_store.h"

namespace tributary::server {

std::optional<std::pair<FieldMap, std::uint64_t>> ServerStore::FindRecord(
    const std::string& practice, const std::string& dataset, const std::string& key) {
  std::lock_guard lock(mutex_);
  std::optional<HeldRow> held = RecordLog(db_).Find(practice, dataset, key);
  if (!held) return std::nullopt;
  return std::make_pair(ParseCanonicalJson(held->fields), held->version);
}

std::uint64_t ServerStore::CorrectRecord(const std::string& practice, const std::string& dataset,
                                         const FieldMap& fields, std::uint64_t base_version,
                                         const std::string& actor) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  PeriodBook periods(db_);
  std::uint64_t version = Corrections(db_, MonthClosedCheckLocked(periods), audit_key_)
                              .Correct(practice, dataset, fields, base_version, actor, NowMs());
  txn.Commit();
  return version;
}

std::vector<RecordConflict> ServerStore::OpenConflicts(const std::vector<std::string>& practices) {
  std::lock_guard lock(mutex_);
  db::ReadTransaction snapshot(db_);
  ConflictBook conflicts(db_);
  std::vector<RecordConflict> out;
  for (const std::string& practice : practices) {
    for (std::int64_t id : conflicts.OpenIds(practice)) {
      if (auto c = conflicts.Find(id)) out.push_back(std::move(*c));
    }
  }
  return out;
}

std::optional<RecordConflict> ServerStore::FindConflict(std::int64_t id) {
  std::lock_guard lock(mutex_);
  return ConflictBook(db_).Find(id);
}

void ServerStore::ResolveConflict(std::int64_t id, ConflictChoice choice, const FieldMap& fields,
                                  const std::string& actor) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  PeriodBook periods(db_);
  Corrections(db_, MonthClosedCheckLocked(periods), audit_key_)
      .Resolve(id, choice, fields, actor, NowMs());
  txn.Commit();
}

}  // namespace tributary::server
