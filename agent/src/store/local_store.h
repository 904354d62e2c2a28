// The agent's local store: one SQLite file (WAL, synchronous=FULL), the
// owner of its connection and of every transaction. Each responsibility
// works inside them through its own class, on the same connection:
//
//   the records held at the practice      store/record_table.h
//   changes waiting for the server        store/outbox.h
//   the people behind person keys         store/people_table.h (never sent)
//   the person keys made for them          store/person_key_cache.h
//   people whose key is not made yet       store/pending_person_keys.h
//   the server's signed receipts           store/receipt_ledger.h
//   the files imported                    store/import_log.h
//   what the server told the practice     store/server_feed.h
//   the agent's own state                 store/agent_state.h
//
// docs/design.md invariant 1: a change is reported saved only after its
// record and its outbox entry are committed together in one transaction;
// each public method below is one transaction.
//
// Offline always: a workforce record of a person new to the practice carries
// a placeholder key (store/pending_person_keys.h) and is *held*: stored, shown,
// replaced and deleted like any record, but kept out of the outbox until
// ReleaseKeyedPeople gives it the person key the server made; a submission of
// a dataset and month with held records is held with them, so the server
// never hears a return is complete before it has its records. A held record
// never sent is deleted without a trace in the outbox. Failures throw
// tributary::Error (kDatabase, kCorruption for stored values that cannot be
// read back, kProtocol for a notice from the server it cannot read).
//
// Not thread-safe: one LocalStore per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/agent_state.h"
#include "store/outbox.h"
#include "store/pending_person_keys.h"
#include "store/people_table.h"
#include "store/record_table.h"
#include "store/server_feed.h"
#include "tributary/common/dataset.h"
#include "tributary/common/hlc.h"
#include "tributary/common/sqlite.h"
#include "tributary/protocol/messages.h"

namespace tributary::agent {

// What one ReplacePeriod call changed.
struct ReplaceResult {
  std::size_t upserts = 0;
  std::size_t deletes = 0;
  std::size_t unchanged = 0;
  std::size_t held = 0;  // of the upserts, those waiting for a person key (not sent yet)
};

// A full set of records for one dataset and month, replacing what is held:
// all of the month's, or only those dated first_date..last_date (ISO, both
// included) when a range is given (a file covering part of a month replaces
// only the days it covers).
struct PeriodReplacement {
  std::string period;
  std::vector<FieldMap> records;  // wire fields, already validated
  std::string first_date = {};    // "" with last_date "": the whole month
  std::string last_date = {};
};

class LocalStore {
 public:
  // Opens or creates the store at `path`, bringing its schema up to date;
  // encrypted with `key_hex` when given (store/store_encryption.h: the agent
  // always gives it; tests of the store's logic may not). `clock` must
  // outlive the store. Throws tributary::Error.
  LocalStore(const std::filesystem::path& path, const Clock& clock,
             const std::string& key_hex = "");
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
                               const std::vector<Person>& people, const std::string& import_sha256,
                               const std::string& file_name, std::size_t rows);

  // Upserts or deletes single records (manual entry), in one transaction.
  void UpsertRecord(const DatasetDecl& dataset, const FieldMap& fields, const Person* person);
  bool DeleteRecord(const DatasetDecl& dataset, const std::string& key);
  // Replaces the record held under `old_key` with `fields`, whose key may
  // differ (a corrected registration gives a new person key): a delete of the
  // old key and an upsert of the new one, in one transaction.
  void ReplaceRecord(const DatasetDecl& dataset, const std::string& old_key, const FieldMap& fields,
                     const Person* person);

  // True if a file with this content hash was imported before.
  bool WasImported(const std::string& sha256);

  std::vector<StoredRecord> Records(const DatasetDecl& dataset, const std::string& period);
  std::optional<StoredRecord> FindRecord(const DatasetDecl& dataset, const std::string& key);
  std::optional<Person> FindPersonByStaffId(const std::string& staff_id);
  std::optional<Person> FindPerson(const std::string& person_key);
  std::vector<Person> People();

  // Person keys made before (store/person_key_cache.h): those known, by
  // identity; and keys just made, remembered.
  std::map<std::string, std::string> KnownPersonKeys(const std::vector<std::string>& identities);
  void RememberPersonKeys(const std::map<std::string, std::string>& key_by_identity);

  // The placeholder a person new to the practice already waits under, if any.
  std::optional<std::string> PendingPlaceholderFor(const std::string& identity);
  // The people whose records wait for a person key, oldest first (only those
  // with a record still held).
  std::vector<AwaitingPerson> PeopleAwaitingKeys();
  // What waits for person keys, for `status`.
  struct KeyWait {
    std::size_t people = 0;
    std::size_t records = 0;  // held records, submissions included
    std::string since;        // when the oldest waiting person was recorded; "" if none
  };
  KeyWait AwaitingKeys();
  // The server made these people's keys (by identity): every record held
  // under their placeholders moves to the key and into the outbox as an
  // ordinary upsert, their details move with it, the keys are remembered,
  // and each held submission with nothing left held in its dataset and month
  // joins the outbox after them. People who wait with no record left (a
  // corrected file dropped them) are forgotten. One transaction. Returns
  // the records released.
  std::size_t ReleaseKeyedPeople(const std::map<std::string, std::string>& key_by_identity);

  // Gives each person a new key (store/person_rekeying.cc): every workforce
  // record of theirs is replaced by one under the new key (a delete and an
  // upsert in the outbox, as any change), their details move to it, the new
  // key is remembered for their identity, and the ICS-wide secret keys were
  // once made with is forgotten. One transaction. Returns the records moved.
  struct Rekeyed {
    std::string old_key;
    std::string new_key;
    std::string identity;
  };
  std::size_t RekeyPeople(const std::vector<Rekeyed>& people);

  // The outbox after `after_seq`, oldest first, at most `limit` entries.
  std::vector<OutboxEntry> PendingChanges(std::uint64_t after_seq, std::size_t limit);
  std::uint64_t PendingCount();
  // Bytes the store's data occupies: its pages in use (free pages, left by
  // synced changes, are reused before the file grows).
  std::uint64_t UsedBytes();
  std::uint64_t LastSeq();
  std::uint64_t AcknowledgedSeq();

  // Records the server's acknowledgement: outbox entries up to `seq` stop
  // waiting (kept a while for resending, store/outbox.h) and the
  // acknowledged seq and last-sync time are saved, atomically.
  // Server outcomes other than "accepted" are kept for `status`.
  // With `receipt`, the server's signed receipt for the batch joins the
  // ledger in the same transaction.
  using Finding = PushFinding;
  void Acknowledge(std::uint64_t seq, const std::vector<Finding>& findings,
                   const std::string& synced_at, const protocol::Receipt* receipt = nullptr);
  // The ledger, oldest first (store/receipt_ledger.h).
  std::vector<protocol::Receipt> Receipts();
  std::vector<Finding> Findings(std::size_t limit);
  // The server holds only the changes up to `seq`, fewer than it
  // acknowledged (it was restored from a backup): the later ones wait to be
  // sent again, atomically. False, and nothing changes, when some of them
  // are no longer kept.
  bool RewindTo(std::uint64_t seq);

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
  std::vector<PeriodCount> RecordCounts();

 private:
  void Migrate();
  // The bodies of the single-record edits, for use inside a transaction.
  void UpsertInTransaction(const DatasetDecl& dataset, const FieldMap& fields,
                           const Person* person);
  bool DeleteInTransaction(const DatasetDecl& dataset, const std::string& key);
  // Whether a new value of this record must be held (see the class comment).
  bool MustHold(RecordTable& records, const DatasetDecl& dataset, const FieldMap& fields);
  // Saves a person's details; one whose key is pending joins the people
  // waiting (Error(kUnavailable) if the store changed under the import).
  void SavePerson(const Person& person);
  HlcTimestamp NextVersion();
  void PersistClock();

  sqlite::Database db_;
  const Clock& clock_;
  HybridLogicalClock hlc_;
  AgentState state_;  // over db_
};

}  // namespace tributary::agent
