// The records held at the practice, inside the agent's store: the current
// value of each, with the version of its last change.
//
// A record is `held` while it waits for something before it may be sent: a
// person key the server has not made yet (store/pending_person_keys.h), or,
// for a submission, such records of its dataset and month. A held record is
// not in the outbox; `held_base` keeps the version the server last had of it
// (0: none), the base its change is sent with once it is released.
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe. Failures throw tributary::Error: kDatabase, kCorruption for a
// stored record that cannot be read back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tributary/common/dataset.h"
#include "tributary/common/hlc.h"
#include "tributary/common/sqlite.h"

namespace tributary::agent {

// A record as currently held at the practice.
struct StoredRecord {
  std::string key;
  std::string period;
  FieldMap fields;
  HlcTimestamp version = 0;
  std::optional<HlcTimestamp> held_base;  // set while the record is held
};

// Counts of current records per dataset and month, for `status`.
struct PeriodCount {
  std::string dataset;
  std::string period;
  std::int64_t records;
};

class RecordTable {
 public:
  // `db` must outlive the table.
  explicit RecordTable(sqlite::Database& db);

  static void CreateSchema(sqlite::Database& db);

  std::optional<StoredRecord> Find(const std::string& dataset, const std::string& key);
  // The dataset's records of the month, by key.
  std::vector<StoredRecord> InMonth(const std::string& dataset, const std::string& period);
  // The month's records as (key, canonical JSON, version), by key.
  struct Row {
    std::string key;
    std::string fields;
    HlcTimestamp version = 0;
    std::optional<HlcTimestamp> held_base;
  };
  std::vector<Row> RowsInMonth(const std::string& dataset, const std::string& period);
  // The version the record is held at, in any month; nullopt if it is not.
  std::optional<HlcTimestamp> VersionOf(const std::string& dataset, const std::string& key);

  // `held_base` set: the record is held (not to be put in the outbox).
  void Write(const std::string& dataset, const std::string& key, const std::string& period,
             const std::string& fields_json, HlcTimestamp version,
             std::optional<HlcTimestamp> held_base = std::nullopt);
  void Remove(const std::string& dataset, const std::string& key);
  std::vector<PeriodCount> Counts();
  // Every held record, of every dataset, by dataset and key.
  std::vector<StoredRecord> Held(const std::string& dataset);
  // Whether any record of `dataset` in `period` is held.
  bool AnyHeld(const std::string& dataset, const std::string& period);
  std::size_t HeldCount();

 private:
  sqlite::Database& db_;
  sqlite::Statement write_;  // prepared once: an import writes thousands
  sqlite::Statement remove_;
};

}  // namespace tributary::agent
