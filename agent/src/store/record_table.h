// The records held at the practice, inside the agent's store: the current
// value of each, with the version of its last change.
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
  };
  std::vector<Row> RowsInMonth(const std::string& dataset, const std::string& period);
  // The version the record is held at, in any month; nullopt if it is not.
  std::optional<HlcTimestamp> VersionOf(const std::string& dataset, const std::string& key);

  void Write(const std::string& dataset, const std::string& key, const std::string& period,
             const std::string& fields_json, HlcTimestamp version);
  void Remove(const std::string& dataset, const std::string& key);
  std::vector<PeriodCount> Counts();

 private:
  sqlite::Database& db_;
  sqlite::Statement write_;  // prepared once: an import writes thousands
  sqlite::Statement remove_;
};

}  // namespace tributary::agent
