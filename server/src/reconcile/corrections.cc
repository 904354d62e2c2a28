#include "reconcile/corrections.h"

#include <algorithm>

#include "notices/practice_feed.h"
#include "reconcile/record_log.h"
#include "returns/return_book.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

std::string Describe(const std::optional<FieldMap>& fields) {
  return fields ? CanonicalJson(*fields) : "(deleted)";
}

}  // namespace

std::uint64_t Corrections::WriteCentral(const std::string& practice, const std::string& dataset,
                                        const std::string& key,
                                        const std::optional<FieldMap>& fields,
                                        const std::string& actor, std::int64_t now_ms) {
  const DatasetDecl* decl = datasets::Find(dataset);
  if (decl == nullptr) throw Error::InvalidArgument("'" + dataset + "' is not a dataset");
  RecordLog records(db_);
  std::optional<HeldRow> held = records.Find(practice, dataset, key);
  std::optional<std::string> previous;
  std::uint64_t previous_version = 0;
  std::string period;
  if (held) {
    previous = held->fields;
    previous_version = held->version;
    period = held->period;
  }
  if (fields) period = RecordPeriod(*decl, *fields);
  ReturnBook returns(db_);
  ReturnKey return_key{practice, dataset, period};
  if (returns.Get(return_key).state == ReturnState::kLocked) {
    throw Error::Conflict("the " + return_key.ToString() + " return is locked");
  }
  // A version above both the record's and the wall clock's, in the agents'
  // hybrid-logical-clock form (milliseconds << 16).
  std::uint64_t version = std::max(previous_version + 1, static_cast<std::uint64_t>(now_ms) << 16);
  std::string json = fields ? CanonicalJson(*fields) : "";
  RecordWrite write{practice, dataset, key, period, nullptr, version, previous_version, actor, 0};
  if (fields) write.fields = &json;
  records.Write(write, previous, now_ms);
  if (!period.empty()) {
    // Central changes apply in a closed month too, as new revisions.
    returns.NoteChange(return_key, !fields);
    returns.FinishChanges(actor, now_ms, [this, &practice](const std::string& p) {
      return month_closed_(practice, p);
    });
    MarkMonthChanged(db_, practice, period);
  }
  PracticeFeed(db_).Append(practice, "correction",
                           {{"dataset", dataset},
                            {"key", key},
                            {"op", fields ? "upsert" : "delete"},
                            {"record", json},
                            {"version", std::to_string(version)}},
                           now_ms);
  transaction_.Audit(actor, "record_correct", practice + "/" + dataset + "/" + key,
                     previous.value_or("(none)") + " -> " + Describe(fields));
  return version;
}

std::uint64_t Corrections::Correct(const std::string& practice, const std::string& dataset,
                                   const FieldMap& fields, std::uint64_t base_version,
                                   const std::string& actor, std::int64_t now_ms) {
  const DatasetDecl* decl = datasets::Find(dataset);
  if (decl == nullptr || decl == &datasets::Submission()) {
    throw Error::InvalidArgument("dataset must be workforce, appointments or list_size");
  }
  std::string key = RecordKey(*decl, fields);
  std::optional<HeldRow> held = RecordLog(db_).Find(practice, dataset, key);
  std::uint64_t version = held ? held->version : 0;
  if (version != base_version) {
    throw Error::Conflict("the record is now at version " + std::to_string(version) + ", not " +
                          std::to_string(base_version) + "; read it again");
  }
  return WriteCentral(practice, dataset, key, fields, actor, now_ms);
}

void Corrections::Resolve(std::int64_t id, ConflictChoice choice, const FieldMap& fields,
                          const std::string& actor, std::int64_t now_ms) {
  ConflictBook conflicts(db_);
  std::optional<RecordConflict> conflict = conflicts.Find(id);
  if (!conflict) throw Error::NotFound("no open conflict " + std::to_string(id));
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
  WriteCentral(conflict->practice, conflict->dataset, conflict->record_key, chosen, actor, now_ms);
  conflicts.MarkResolved(id, resolution, actor, now_ms);
  transaction_.Audit(actor, "conflict_resolve", std::to_string(id), resolution);
}

}  // namespace tributary::server
