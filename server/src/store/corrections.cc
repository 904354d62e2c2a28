// Central corrections and the conflicts they can meet (docs/design.md: conflicts are
// kept, shown to the PCN manager and resolved explicitly, never silently
// overwritten). Part of ServerStore.
#include "returns/return_book.h"
#include "store/practice_feed.h"
#include "store/stored_fields.h"
#include "store/server_store.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

std::string Describe(const std::optional<FieldMap>& fields) {
  return fields ? CanonicalJson(*fields) : "(deleted)";
}

}  // namespace

std::optional<std::pair<FieldMap, std::uint64_t>> ServerStore::FindRecord(
    const std::string& practice, const std::string& dataset, const std::string& key) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare(
      "SELECT fields, version FROM records WHERE practice = ? AND dataset = ? AND record_key = ?");
  stmt.Bind(1, practice).Bind(2, dataset).Bind(3, key);
  if (!stmt.Step()) return std::nullopt;
  return std::make_pair(StoredFields(stmt.ColumnText(0)),
                        static_cast<std::uint64_t>(stmt.ColumnInt(1)));
}

std::uint64_t ServerStore::WriteCentralLocked(const std::string& practice,
                                              const std::string& dataset,
                                              const std::string& key,
                                              const std::optional<FieldMap>& fields,
                                              const std::string& actor) {
  const DatasetDecl* decl = datasets::Find(dataset);
  if (decl == nullptr) throw Error::InvalidArgument("'" + dataset + "' is not a dataset");
  auto current = db_.Prepare(
      "SELECT fields, version, period FROM records "
      "WHERE practice = ? AND dataset = ? AND record_key = ?");
  current.Bind(1, practice).Bind(2, dataset).Bind(3, key);
  std::optional<std::string> previous;
  std::uint64_t previous_version = 0;
  std::string period;
  if (current.Step()) {
    previous = current.ColumnText(0);
    previous_version = static_cast<std::uint64_t>(current.ColumnInt(1));
    period = current.ColumnText(2);
  }
  if (fields) period = RecordPeriod(*decl, *fields);
  ReturnBook returns(db_);
  ReturnKey return_key{practice, dataset, period};
  if (returns.Get(return_key).state == ReturnState::kLocked) {
    throw Error::Conflict("the " + return_key.ToString() + " return is locked");
  }
  // A version above both the record's and the wall clock's, in the agents'
  // hybrid-logical-clock form (milliseconds << 16).
  std::uint64_t version = std::max(previous_version + 1,
                                   static_cast<std::uint64_t>(NowMs()) << 16);
  std::string json = fields ? CanonicalJson(*fields) : "";
  if (fields) {
    auto upsert = db_.Prepare(
        "INSERT INTO records (practice, dataset, record_key, period, fields, version, origin, "
        "updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (practice, dataset, record_key) DO UPDATE SET period = excluded.period, "
        "fields = excluded.fields, version = excluded.version, origin = excluded.origin, "
        "updated_at_ms = excluded.updated_at_ms");
    upsert.Bind(1, practice).Bind(2, dataset).Bind(3, key).Bind(4, period).Bind(5, json);
    upsert.Bind(6, static_cast<std::int64_t>(version)).Bind(7, actor).Bind(8, NowMs());
    upsert.Run();
  } else {
    auto remove =
        db_.Prepare("DELETE FROM records WHERE practice = ? AND dataset = ? AND record_key = ?");
    remove.Bind(1, practice).Bind(2, dataset).Bind(3, key);
    remove.Run();
  }
  auto log = db_.Prepare(
      "INSERT INTO change_log (practice, dataset, record_key, op, fields, previous_fields, "
      "version, base_version, origin, seq, received_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)");
  log.Bind(1, practice).Bind(2, dataset).Bind(3, key).Bind(4, fields ? "upsert" : "delete");
  if (fields) log.Bind(5, json); else log.BindNull(5);
  log.BindOptional(6, previous).Bind(7, static_cast<std::int64_t>(version));
  log.Bind(8, static_cast<std::int64_t>(previous_version)).Bind(9, actor).Bind(10, NowMs());
  log.Run();
  if (!period.empty()) {
    // Central changes apply in a closed month too, as new revisions.
    PeriodBook periods(db_);
    returns.NoteChange(return_key, !fields);
    returns.FinishChanges(actor, NowMs(), [this, &periods, &practice](const std::string& p) {
      return MonthClosedForLocked(periods, practice, p);
    });
    MarkMonthChangedLocked(practice, period);
  }
  PracticeFeed(db_).Append(practice, "correction",
                           {{"dataset", dataset},
                            {"key", key},
                            {"op", fields ? "upsert" : "delete"},
                            {"record", json},
                            {"version", std::to_string(version)}},
                           NowMs());
  AppendAuditLocked(actor, "record_correct", practice + "/" + dataset + "/" + key,
                    previous.value_or("(none)") + " -> " + Describe(fields));
  return version;
}

std::uint64_t ServerStore::CorrectRecord(const std::string& practice, const std::string& dataset,
                                         const FieldMap& fields, std::uint64_t base_version,
                                         const std::string& actor) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction txn(db_);
  const DatasetDecl* decl = datasets::Find(dataset);
  if (decl == nullptr || decl == &datasets::Submission()) {
    throw Error::InvalidArgument("dataset must be workforce, appointments or list_size");
  }
  std::string key = RecordKey(*decl, fields);
  auto current = db_.Prepare(
      "SELECT version FROM records WHERE practice = ? AND dataset = ? AND record_key = ?");
  current.Bind(1, practice).Bind(2, dataset).Bind(3, key);
  std::uint64_t version = current.Step() ? static_cast<std::uint64_t>(current.ColumnInt(0)) : 0;
  current.Reset();
  if (version != base_version) {
    throw Error::Conflict("the record is now at version " + std::to_string(version) + ", not " +
                          std::to_string(base_version) + "; read it again");
  }
  std::uint64_t written = WriteCentralLocked(practice, dataset, key, fields, actor);
  txn.Commit();
  return written;
}

std::vector<RecordConflict> ServerStore::OpenConflicts(const std::vector<std::string>& practices) {
  std::vector<RecordConflict> out;
  for (const std::string& practice : practices) {
    std::vector<std::int64_t> ids;
    {
      std::lock_guard lock(mutex_);
      auto stmt = db_.Prepare(
          "SELECT id FROM conflicts WHERE practice = ? AND resolved_at_ms IS NULL ORDER BY id");
      stmt.Bind(1, practice);
      while (stmt.Step()) ids.push_back(stmt.ColumnInt(0));
    }
    for (std::int64_t id : ids) {
      if (auto c = FindConflict(id)) out.push_back(std::move(*c));
    }
  }
  return out;
}

std::optional<RecordConflict> ServerStore::FindConflict(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare(
      "SELECT c.id, c.practice, c.dataset, c.record_key, c.op, c.fields, r.fields, r.version, "
      "coalesce(r.period, '') FROM conflicts c LEFT JOIN records r ON r.practice = c.practice "
      "AND r.dataset = c.dataset AND r.record_key = c.record_key "
      "WHERE c.id = ? AND c.resolved_at_ms IS NULL");
  stmt.Bind(1, id);
  if (!stmt.Step()) return std::nullopt;
  RecordConflict c;
  c.id = stmt.ColumnInt(0);
  c.practice = stmt.ColumnText(1);
  c.dataset = stmt.ColumnText(2);
  c.record_key = stmt.ColumnText(3);
  c.practice_op = stmt.ColumnText(4);
  if (c.practice_op == "upsert") c.practice_fields = StoredFields(stmt.ColumnText(5));
  if (!stmt.ColumnIsNull(6)) {
    c.central_fields = StoredFields(stmt.ColumnText(6));
    c.current_version = static_cast<std::uint64_t>(stmt.ColumnInt(7));
  }
  c.period = stmt.ColumnText(8);
  if (c.period.empty() && c.practice_op == "upsert") {
    c.period = RecordPeriod(*datasets::Find(c.dataset), c.practice_fields);
  }
  return c;
}

void ServerStore::ResolveConflict(std::int64_t id, ConflictChoice choice, const FieldMap& fields,
                                  const std::string& actor) {
  std::optional<RecordConflict> conflict = FindConflict(id);
  if (!conflict) throw Error::NotFound("no open conflict " + std::to_string(id));
  std::lock_guard lock(mutex_);
  sqlite::Transaction txn(db_);
  std::optional<FieldMap> chosen;
  const char* resolution = "central";
  switch (choice) {
    case ConflictChoice::kPractice:
      resolution = "practice";
      if (conflict->practice_op == "upsert") chosen = conflict->practice_fields;
      break;
    case ConflictChoice::kCentral:
      chosen = conflict->central_fields;
      break;
    case ConflictChoice::kNew:
      resolution = "new";
      chosen = fields;
      if (RecordKey(*datasets::Find(conflict->dataset), fields) != conflict->record_key) {
        throw Error::InvalidArgument("the new value must keep the record's key fields");
      }
      break;
  }
  // Written even when the central value stays, so the practice converges on it.
  WriteCentralLocked(conflict->practice, conflict->dataset, conflict->record_key, chosen, actor);
  auto resolve = db_.Prepare(
      "UPDATE conflicts SET resolved_at_ms = ?, resolution = ?, resolved_by = ? WHERE id = ?");
  resolve.Bind(1, NowMs()).Bind(2, resolution).Bind(3, actor).Bind(4, id);
  resolve.Run();
  AppendAuditLocked(actor, "conflict_resolve", std::to_string(id), resolution);
  txn.Commit();
}

}  // namespace tributary::server
