// The agent's local store: one SQLite file (WAL, synchronous=FULL) holding
// the current records, the outbox of changes waiting for the server, the
// people behind person keys (never sent), the import log and the agent state.
//
// docs/design.md invariant 1: a change is reported saved only after its record and
// its outbox entry are committed together in one transaction.
//
// Not thread-safe: one LocalStore per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tributary/common/dataset.h"
#include "tributary/common/hlc.h"
#include "tributary/common/sqlite.h"
#include "tributary/protocol/messages.h"

namespace tributary::agent {

// A record as currently held at the practice.
struct StoredRecord {
  std::string key;
  std::string period;
  FieldMap fields;
  HlcTimestamp version = 0;
};

// One change waiting in the outbox.
struct OutboxEntry {
  std::uint64_t seq = 0;
  std::string dataset;
  std::string key;
  bool is_delete = false;
  std::string fields_json;  // canonical JSON of the record, empty for a delete
  HlcTimestamp version = 0;
  HlcTimestamp base_version = 0;
};

// A person's identifying details, which stay at the practice.
struct Person {
  std::string person_key;
  std::string staff_id;
  std::string given_name;
  std::string family_name;
  std::string registration_body;
  std::string registration_number;
  std::string employer_code;
  std::string employer_staff_id;
};

// A return's state as the server last reported it.
struct ServerReturn {
  std::string dataset;
  std::string period;
  std::string state;
  std::int64_t revision = 1;
  std::string comment;  // the PCN manager's query, when queried
};

// A finding the server made looking across practices or months, on one of
// this practice's returns (e.g. a person's FTE over 1.0 in total).
struct ReturnFinding {
  std::string dataset;
  std::string period;
  std::string finding;  // "reason [rule]"
};

// What one ReplacePeriod call changed.
struct ReplaceResult {
  std::size_t upserts = 0;
  std::size_t deletes = 0;
  std::size_t unchanged = 0;
};

// A full set of records for one dataset and month, replacing what is held.
struct PeriodReplacement {
  std::string period;
  std::vector<FieldMap> records;  // wire fields, already validated
};

class LocalStore {
 public:
  // Opens or creates the store at `path`, bringing its schema up to date.
  // `clock` must outlive the store. Throws tributary::Error.
  LocalStore(const std::filesystem::path& path, const Clock& clock);
  LocalStore(const LocalStore&) = delete;
  LocalStore& operator=(const LocalStore&) = delete;

  // Agent state, a small key/value table: "practice", "server_url",
  // "acknowledged_seq", "last_sync", "last_error", ...
  std::optional<std::string> GetState(const std::string& key);
  void SetState(const std::string& key, const std::string& value);
  // Sets several keys in one transaction.
  void SetStates(const std::vector<std::pair<std::string, std::string>>& values);

  // Replaces every record of `dataset` in each given month with the given
  // records, recording an upsert for each new or changed record and a delete
  // for each record no longer present, plus the people and the import-log
  // entry — all in one transaction. Returns the counts.
  ReplaceResult ReplacePeriods(const DatasetDecl& dataset,
                               const std::vector<PeriodReplacement>& periods,
                               const std::vector<Person>& people,
                               const std::string& import_sha256, const std::string& file_name,
                               std::size_t rows);

  // Upserts or deletes single records (manual entry), in one transaction.
  void UpsertRecord(const DatasetDecl& dataset, const FieldMap& fields, const Person* person);
  bool DeleteRecord(const DatasetDecl& dataset, const std::string& key);
  // Replaces the record held under `old_key` with `fields`, whose key may
  // differ (a corrected registration gives a new person key): a delete of the
  // old key and an upsert of the new one, in one transaction.
  void ReplaceRecord(const DatasetDecl& dataset, const std::string& old_key,
                     const FieldMap& fields, const Person* person);

  // True if a file with this content hash was imported before.
  bool WasImported(const std::string& sha256);

  std::vector<StoredRecord> Records(const DatasetDecl& dataset, const std::string& period);
  std::optional<StoredRecord> FindRecord(const DatasetDecl& dataset, const std::string& key);
  std::optional<Person> FindPersonByStaffId(const std::string& staff_id);
  std::optional<Person> FindPerson(const std::string& person_key);

  // The outbox after `after_seq`, oldest first, at most `limit` entries.
  std::vector<OutboxEntry> PendingChanges(std::uint64_t after_seq, std::size_t limit);
  std::uint64_t PendingCount();
  // Bytes the store's data occupies: its pages in use (free pages, left by
  // synced changes, are reused before the file grows).
  std::uint64_t UsedBytes();
  std::uint64_t LastSeq();
  std::uint64_t AcknowledgedSeq();

  // Records the server's acknowledgement: outbox entries up to `seq` are
  // removed and the acknowledged seq and last-sync time saved, atomically.
  // Server outcomes other than "accepted" are kept for `status`.
  struct Finding {
    std::uint64_t seq;
    std::string outcome;
    std::string detail;
  };
  void Acknowledge(std::uint64_t seq, const std::vector<Finding>& findings,
                   const std::string& synced_at);
  std::vector<Finding> Findings(std::size_t limit);

  // The server's notices (GET /v1/sync/pull): applied with the new cursor in
  // one transaction, skipping any at or before the cursor already held, so
  // each takes effect exactly once. Returns how many were new.
  std::size_t ApplyNotices(const std::vector<protocol::Notice>& notices, std::uint64_t cursor);
  std::uint64_t PullCursor();
  std::vector<ServerReturn> ServerReturns();
  // The months the practice's ICS has closed, oldest first (from pull).
  std::vector<std::string> ClosedPeriods();
  // The server's current cross-practice findings, latest month first.
  std::vector<ReturnFinding> ReturnFindings();
  // The practice's PCN, place and ICS (codes and names) on `iso_date`.
  std::optional<FieldMap> HierarchyOn(const std::string& iso_date);

  // Counts of current records per dataset and month, for `status`.
  struct PeriodCount {
    std::string dataset;
    std::string period;
    std::int64_t records;
  };
  std::vector<PeriodCount> RecordCounts();

 private:
  void Migrate();
  class OutboxWriter;
  void SavePerson(const Person& person);
  // The bodies of the single-record edits, for use inside a transaction.
  void UpsertInTransaction(const DatasetDecl& dataset, const FieldMap& fields,
                           const Person* person);
  bool DeleteInTransaction(const DatasetDecl& dataset, const std::string& key);
  HlcTimestamp NextVersion();
  void PersistClock();
  // A central correction (or a conflict's resolution) from the server: the
  // record takes the server's value and version, with no outbox entry; unless
  // a change of the practice's own to it is still waiting to be sent.
  void ApplyCorrectionInTransaction(const FieldMap& notice);

  sqlite::Database db_;
  const Clock& clock_;
  HybridLogicalClock hlc_;
};

}  // namespace tributary::agent
