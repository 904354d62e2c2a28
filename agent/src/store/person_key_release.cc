// LocalStore's people awaiting a person key: what waits, and releasing their
// held records once the server has made the keys (store/pending_person_keys.h).
#include <set>

#include "store/local_store.h"
#include "store/pending_person_keys.h"
#include "store/person_key_cache.h"
#include "store/record_table.h"

namespace tributary::agent {
namespace {

// The placeholders that still key at least one held workforce record.
std::set<std::string> PlaceholdersInUse(RecordTable& records) {
  std::set<std::string> in_use;
  for (const StoredRecord& record : records.Held(std::string(datasets::Workforce().name))) {
    auto key = record.fields.find("person_key");
    if (key != record.fields.end()) in_use.insert(key->second);
  }
  return in_use;
}

}  // namespace

std::vector<AwaitingPerson> LocalStore::PeopleAwaitingKeys() {
  RecordTable records(db_);
  std::set<std::string> in_use = PlaceholdersInUse(records);
  std::vector<AwaitingPerson> waiting;
  for (AwaitingPerson& person : PendingPersonKeys(db_).All()) {
    if (in_use.count(person.placeholder) > 0) waiting.push_back(std::move(person));
  }
  return waiting;
}

LocalStore::KeyWait LocalStore::AwaitingKeys() {
  KeyWait wait;
  std::vector<AwaitingPerson> people = PeopleAwaitingKeys();
  wait.people = people.size();
  if (!people.empty()) wait.since = people.front().since;
  wait.records = RecordTable(db_).HeldCount();
  return wait;
}

std::size_t LocalStore::ReleaseKeyedPeople(
    const std::map<std::string, std::string>& key_by_identity) {
  sqlite::Transaction txn(db_);
  const DatasetDecl& workforce = datasets::Workforce();
  const std::string name(workforce.name);
  PendingPersonKeys pending(db_);
  RecordTable records(db_);
  PeopleTable people(db_);
  std::map<std::string, std::string> key_by_placeholder;
  for (const auto& [identity, key] : key_by_identity) {
    if (auto placeholder = pending.PlaceholderFor(identity)) key_by_placeholder[*placeholder] = key;
  }
  OutboxWriter outbox(db_, state_);
  std::size_t released = 0;
  for (const StoredRecord& record : records.Held(name)) {
    auto made = key_by_placeholder.find(record.fields.at("person_key"));
    if (made == key_by_placeholder.end()) continue;
    FieldMap fields = record.fields;
    fields["person_key"] = made->second;
    std::string key = RecordKey(workforce, fields);
    records.Remove(name, record.key);
    std::optional<StoredRecord> existing = records.Find(name, key);
    HlcTimestamp base = 0;
    if (existing) base = existing->held_base ? *existing->held_base : existing->version;
    std::string json = CanonicalJson(fields);
    HlcTimestamp version = NextVersion();
    records.Write(name, key, record.period, json, version);
    outbox.Append(name, key, &json, version, base);
    ++released;
  }
  for (const auto& [placeholder, key] : key_by_placeholder) {
    if (std::optional<Person> person = people.Find(placeholder)) {
      people.Remove(placeholder);
      person->person_key = key;
      people.Save(*person);
    }
  }
  PersonKeyCache(db_).Remember(key_by_identity);
  // Everyone keyed, and anyone left waiting with no record, stops waiting.
  std::set<std::string> in_use = PlaceholdersInUse(records);
  for (const AwaitingPerson& person : pending.All()) {
    if (in_use.count(person.placeholder) > 0) continue;
    pending.Remove(person.identity);
    if (key_by_placeholder.count(person.placeholder) == 0) people.Remove(person.placeholder);
  }
  // Submissions follow the records they vouch for.
  const std::string submission(datasets::Submission().name);
  for (const StoredRecord& held : records.Held(submission)) {
    if (records.AnyHeld(held.fields.at("dataset"), held.fields.at("period"))) continue;
    std::string json = CanonicalJson(held.fields);
    HlcTimestamp version = NextVersion();
    records.Write(submission, held.key, held.period, json, version);
    outbox.Append(submission, held.key, &json, version, held.held_base.value_or(0),
                  /*coalesce=*/false);
    ++released;
  }
  outbox.Finish();
  PersistClock();
  txn.Commit();
  return released;
}

}  // namespace tributary::agent
