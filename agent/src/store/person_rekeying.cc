// LocalStore::RekeyPeople: a store whose person keys were made with the
// ICS-wide HMAC secret (before person keys were made with the server's OPRF
// key) moves every person to their new key as ordinary changes, so the
// server's records, rollups and findings follow without a special path.
#include "store/local_store.h"
#include "store/person_key_cache.h"
#include "store/record_table.h"

namespace tributary::agent {

std::size_t LocalStore::RekeyPeople(const std::vector<Rekeyed>& people) {
  sqlite::Transaction txn(db_);
  std::map<std::string, const Rekeyed*> by_old_key;
  std::map<std::string, std::string> key_by_identity;
  for (const Rekeyed& r : people) {
    by_old_key[r.old_key] = &r;
    key_by_identity[r.identity] = r.new_key;
  }
  PeopleTable table(db_);
  std::map<std::string, Person> moved;  // by old key
  for (const Rekeyed& r : people) {
    std::optional<Person> person = table.Find(r.old_key);
    if (!person) continue;
    person->person_key = r.new_key;
    moved[r.old_key] = *person;
  }
  const DatasetDecl& workforce = datasets::Workforce();
  std::size_t records_moved = 0;
  for (const PeriodCount& count : RecordTable(db_).Counts()) {
    if (count.dataset != workforce.name) continue;
    for (const StoredRecord& record : RecordTable(db_).InMonth(count.dataset, count.period)) {
      auto key = record.fields.find("person_key");
      if (key == record.fields.end()) continue;
      auto rekeyed = by_old_key.find(key->second);
      if (rekeyed == by_old_key.end()) continue;
      FieldMap fields = record.fields;
      fields["person_key"] = rekeyed->second->new_key;
      auto person = moved.find(key->second);
      DeleteInTransaction(workforce, record.key);
      UpsertInTransaction(workforce, fields, person == moved.end() ? nullptr : &person->second);
      ++records_moved;
    }
  }
  for (const auto& [old_key, person] : moved) {
    table.Remove(old_key);
    table.Save(person);
  }
  PersonKeyCache(db_).Remember(key_by_identity);
  state_.Remove("person_key_secret");
  PersistClock();
  txn.Commit();
  return records_moved;
}

}  // namespace tributary::agent
