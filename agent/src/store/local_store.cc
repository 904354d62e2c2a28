#include "store/local_store.h"

#include <map>

#include "store/import_log.h"
#include "store/pending_person_keys.h"
#include "store/person_key_cache.h"
#include "store/receipt_ledger.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"

namespace tributary::agent {
namespace {

// 2: records may be held for a person key (records.held_base, pending_person_keys).
constexpr int kSchemaVersion = 2;

// The version the server last had of a record held now as `existing`.
HlcTimestamp ServerBase(const std::optional<HlcTimestamp>& held_base, HlcTimestamp version) {
  return held_base ? *held_base : version;
}

}  // namespace

LocalStore::LocalStore(const std::filesystem::path& path, const Clock& clock,
                       const std::string& key_hex)
    : db_(sqlite::Database::Open(path, key_hex)), clock_(clock), hlc_(clock), state_(db_) {
  Migrate();
  // Restart the clock after the last timestamp issued, so versions keep
  // increasing even if the wall clock went back while the agent was stopped.
  hlc_.Observe(state_.Number("hlc_last"));
}

void LocalStore::Migrate() {
  sqlite::Transaction txn(db_);
  AgentState::CreateSchema(db_);
  RecordTable::CreateSchema(db_);
  Outbox::CreateSchema(db_);
  PeopleTable::CreateSchema(db_);
  PersonKeyCache::CreateSchema(db_);
  PendingPersonKeys::CreateSchema(db_);
  ReceiptLedger::CreateSchema(db_);
  ImportLog::CreateSchema(db_);
  ServerFeed::CreateSchema(db_);
  std::uint64_t version = state_.Number("schema_version");
  if (version > kSchemaVersion) {
    throw Error::Conflict("the store was written by a newer agent (schema " +
                          std::to_string(version) + "); upgrade tributary-agent");
  }
  state_.Set("schema_version", std::to_string(kSchemaVersion));
  txn.Commit();
}

std::optional<std::string> LocalStore::GetState(const std::string& key) { return state_.Get(key); }

void LocalStore::SetState(const std::string& key, const std::string& value) {
  state_.Set(key, value);
}

void LocalStore::SetStates(const std::vector<std::pair<std::string, std::string>>& values) {
  sqlite::Transaction txn(db_);
  for (const auto& [key, value] : values) state_.Set(key, value);
  txn.Commit();
}

HlcTimestamp LocalStore::NextVersion() { return hlc_.Now(); }

void LocalStore::PersistClock() { state_.Set("hlc_last", std::to_string(hlc_.Now())); }

std::uint64_t LocalStore::LastSeq() { return state_.Number("last_seq"); }

std::uint64_t LocalStore::AcknowledgedSeq() { return state_.Number("acknowledged_seq"); }

ReplaceResult LocalStore::ReplacePeriods(const DatasetDecl& dataset,
                                         const std::vector<PeriodReplacement>& periods,
                                         const std::vector<Person>& people,
                                         const std::string& import_sha256,
                                         const std::string& file_name, std::size_t rows) {
  ReplaceResult result;
  sqlite::Transaction txn(db_);
  std::string name(dataset.name);
  RecordTable records(db_);
  OutboxWriter outbox(db_, state_);
  // People first: a held record's person is waiting before the record is.
  for (const Person& person : people) SavePerson(person);
  for (const PeriodReplacement& replacement : periods) {
    // What is held now for this month, by key.
    std::map<std::string, RecordTable::Row> held;
    for (RecordTable::Row& row : records.RowsInMonth(name, replacement.period)) {
      std::string key = row.key;
      held.emplace(std::move(key), std::move(row));
    }
    for (const FieldMap& fields : replacement.records) {
      std::string key = RecordKey(dataset, fields);
      std::string json = CanonicalJson(fields);
      HlcTimestamp base = 0;
      if (auto it = held.find(key); it != held.end()) {
        base = ServerBase(it->second.held_base, it->second.version);
        bool same = it->second.fields == json;
        held.erase(it);
        if (same) {
          ++result.unchanged;
          continue;
        }
      } else {
        // The key may be held under another month (a date corrected across months).
        base = records.VersionOf(name, key).value_or(0);
      }
      HlcTimestamp version = NextVersion();
      if (MustHold(records, dataset, fields)) {
        records.Write(name, key, replacement.period, json, version, base);
        ++result.held;
      } else {
        records.Write(name, key, replacement.period, json, version);
        outbox.Append(name, key, &json, version, base);
      }
      ++result.upserts;
    }
    const bool ranged = !replacement.first_date.empty();
    for (const auto& [key, previous] : held) {
      if (ranged) {
        FieldMap fields = ParseCanonicalJson(previous.fields);
        const std::string& date = fields[std::string(dataset.period_field)];
        if (date < replacement.first_date || date > replacement.last_date) continue;
      }
      records.Remove(name, key);
      HlcTimestamp base = ServerBase(previous.held_base, previous.version);
      // A held record the server never had leaves nothing to tell it.
      if (previous.held_base && base == 0) {
        ++result.deletes;
        continue;
      }
      outbox.Append(name, key, nullptr, NextVersion(), base);
      ++result.deletes;
    }
  }
  outbox.Finish();
  ImportLog(db_).Add(import_sha256, file_name, name, rows, result.upserts, result.deletes,
                     FormatUtc(clock_.NowMillis()));
  PersistClock();
  txn.Commit();
  return result;
}

bool LocalStore::MustHold(RecordTable& records, const DatasetDecl& dataset,
                          const FieldMap& fields) {
  if (&dataset == &datasets::Workforce()) {
    auto key = fields.find("person_key");
    return key != fields.end() && IsPendingPersonKey(key->second);
  }
  if (&dataset == &datasets::Submission()) {
    auto of = fields.find("dataset");
    auto period = fields.find("period");
    return of != fields.end() && period != fields.end() &&
           records.AnyHeld(of->second, period->second);
  }
  return false;
}

void LocalStore::SavePerson(const Person& person) {
  PeopleTable(db_).Save(person);
  if (!IsPendingPersonKey(person.person_key)) return;
  PendingPersonKeys pending(db_);
  std::optional<std::string> waiting = pending.PlaceholderFor(person.identity);
  bool keyed = !PersonKeyCache(db_).Find({person.identity}).empty();
  if (person.identity.empty() || keyed || (waiting && *waiting != person.person_key)) {
    // Another process keyed or recorded this person while the file was read.
    throw Error::Unavailable("the store changed while this was being read; try again");
  }
  pending.Add(person.identity, person.person_key, FormatUtc(clock_.NowMillis()));
}

void LocalStore::UpsertRecord(const DatasetDecl& dataset, const FieldMap& fields,
                              const Person* person) {
  sqlite::Transaction txn(db_);
  UpsertInTransaction(dataset, fields, person);
  PersistClock();
  txn.Commit();
}

bool LocalStore::DeleteRecord(const DatasetDecl& dataset, const std::string& key) {
  sqlite::Transaction txn(db_);
  if (!DeleteInTransaction(dataset, key)) return false;
  PersistClock();
  txn.Commit();
  return true;
}

void LocalStore::ReplaceRecord(const DatasetDecl& dataset, const std::string& old_key,
                               const FieldMap& fields, const Person* person) {
  sqlite::Transaction txn(db_);
  if (RecordKey(dataset, fields) != old_key) DeleteInTransaction(dataset, old_key);
  UpsertInTransaction(dataset, fields, person);
  PersistClock();
  txn.Commit();
}

void LocalStore::UpsertInTransaction(const DatasetDecl& dataset, const FieldMap& fields,
                                     const Person* person) {
  std::string name(dataset.name);
  std::string key = RecordKey(dataset, fields);
  std::string json = CanonicalJson(fields);
  if (person) SavePerson(*person);
  RecordTable records(db_);
  std::optional<StoredRecord> existing = records.Find(name, key);
  if (existing && CanonicalJson(existing->fields) == json) return;
  HlcTimestamp version = NextVersion();
  HlcTimestamp base = existing ? ServerBase(existing->held_base, existing->version) : 0;
  if (MustHold(records, dataset, fields)) {
    records.Write(name, key, RecordPeriod(dataset, fields), json, version, base);
    return;
  }
  records.Write(name, key, RecordPeriod(dataset, fields), json, version);
  OutboxWriter outbox(db_, state_);
  outbox.Append(name, key, &json, version, base);
  outbox.Finish();
}

bool LocalStore::DeleteInTransaction(const DatasetDecl& dataset, const std::string& key) {
  std::string name(dataset.name);
  RecordTable records(db_);
  std::optional<StoredRecord> existing = records.Find(name, key);
  if (!existing) return false;
  records.Remove(name, key);
  HlcTimestamp base = ServerBase(existing->held_base, existing->version);
  if (existing->held_base && base == 0) return true;  // the server never had it
  OutboxWriter outbox(db_, state_);
  outbox.Append(name, key, nullptr, NextVersion(), base);
  outbox.Finish();
  return true;
}

bool LocalStore::WasImported(const std::string& sha256) { return ImportLog(db_).Contains(sha256); }

std::vector<StoredRecord> LocalStore::Records(const DatasetDecl& dataset,
                                              const std::string& period) {
  return RecordTable(db_).InMonth(std::string(dataset.name), period);
}

std::optional<StoredRecord> LocalStore::FindRecord(const DatasetDecl& dataset,
                                                   const std::string& key) {
  return RecordTable(db_).Find(std::string(dataset.name), key);
}

std::optional<Person> LocalStore::FindPersonByStaffId(const std::string& staff_id) {
  return PeopleTable(db_).FindByStaffId(staff_id);
}

std::optional<Person> LocalStore::FindPerson(const std::string& person_key) {
  return PeopleTable(db_).Find(person_key);
}

std::vector<Person> LocalStore::People() { return PeopleTable(db_).All(); }

std::map<std::string, std::string> LocalStore::KnownPersonKeys(
    const std::vector<std::string>& identities) {
  return PersonKeyCache(db_).Find(identities);
}

void LocalStore::RememberPersonKeys(const std::map<std::string, std::string>& key_by_identity) {
  sqlite::Transaction txn(db_);
  PersonKeyCache(db_).Remember(key_by_identity);
  txn.Commit();
}

std::optional<std::string> LocalStore::PendingPlaceholderFor(const std::string& identity) {
  return PendingPersonKeys(db_).PlaceholderFor(identity);
}

std::vector<OutboxEntry> LocalStore::PendingChanges(std::uint64_t after_seq, std::size_t limit) {
  return Outbox(db_).Pending(after_seq, limit);
}

std::uint64_t LocalStore::PendingCount() { return Outbox(db_).Count(); }

std::uint64_t LocalStore::UsedBytes() {
  auto pragma = [this](const char* name) {
    auto stmt = db_.Prepare(std::string("PRAGMA ") + name);
    stmt.Step();
    return stmt.ColumnUnsigned(0);
  };
  return (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
}

void LocalStore::Acknowledge(std::uint64_t seq, const std::vector<Finding>& findings,
                             const std::string& synced_at, const protocol::Receipt* receipt) {
  sqlite::Transaction txn(db_);
  if (receipt != nullptr) ReceiptLedger(db_).Append(*receipt);
  Outbox outbox(db_);
  outbox.Acknowledge(seq, clock_.NowMillis());
  for (const Finding& f : findings) outbox.KeepFinding(f);
  if (seq > AcknowledgedSeq()) state_.Set("acknowledged_seq", std::to_string(seq));
  state_.Set("last_sync", synced_at);
  txn.Commit();
}

std::vector<protocol::Receipt> LocalStore::Receipts() { return ReceiptLedger(db_).All(); }

bool LocalStore::RewindTo(std::uint64_t seq) {
  sqlite::Transaction txn(db_);
  if (!Outbox(db_).Rewind(seq, AcknowledgedSeq())) return false;
  state_.Set("acknowledged_seq", std::to_string(seq));
  txn.Commit();
  return true;
}

std::vector<LocalStore::Finding> LocalStore::Findings(std::size_t limit) {
  return Outbox(db_).Findings(limit);
}

std::vector<PeriodCount> LocalStore::RecordCounts() { return RecordTable(db_).Counts(); }

std::uint64_t LocalStore::PullCursor() { return state_.Number("pull_cursor"); }

std::size_t LocalStore::ApplyNotices(const std::vector<protocol::Notice>& notices,
                                     std::uint64_t cursor) {
  sqlite::Transaction txn(db_);
  std::size_t applied = ServerFeed(db_, state_).Apply(notices, cursor);
  txn.Commit();
  return applied;
}

std::vector<ServerReturn> LocalStore::ServerReturns() { return ServerFeed(db_, state_).Returns(); }

std::vector<std::string> LocalStore::ClosedPeriods() {
  return ServerFeed(db_, state_).ClosedPeriods();
}

std::vector<ReturnFinding> LocalStore::ReturnFindings() {
  return ServerFeed(db_, state_).ReturnFindings();
}

std::optional<FieldMap> LocalStore::HierarchyOn(const std::string& iso_date) {
  return ServerFeed(db_, state_).HierarchyOn(iso_date);
}

}  // namespace tributary::agent
