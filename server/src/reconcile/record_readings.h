// Readings of the records the server holds, for whoever shows or checks
// them: the months held, a month's records one at a time, one practice's
// records of a month with their versions, what each practice sent, and the
// counts and change position tests and caches look at. Read-only: each call
// is one consistent reading of the store (store/server_store.h) on
// reconcile/record_log.h's tables. None gathers a nation's month into memory
// (6,300 practices' month is some 13 million records).
//
// Failures throw tributary::Error (the store's; kCorruption for a stored
// record that cannot be read back). Thread-safe as the store is; holds only
// a reference to the store, which must outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tributary/common/dataset.h"

namespace tributary::server {

class ServerStore;

// A record as the server holds it, with the version a correction must name.
struct HeldRecord {
  std::string key;
  FieldMap fields;
  std::uint64_t version = 0;
};

// Per practice: what the server holds, for `practices` and the demo.
struct PracticeSummary {
  std::string practice;
  std::string last_sync;  // ISO time, "" if never
  struct Month {
    std::int64_t records = 0;
    std::int64_t appointments = 0;  // summed counts, appointments dataset only
  };
  std::map<std::string, std::map<std::string, Month>> datasets;  // dataset -> period -> month
};

class RecordReadings {
 public:
  explicit RecordReadings(ServerStore& store) : store_(store) {}

  // The months that hold records, oldest first.
  std::vector<std::string> Periods();
  // Every record of one dataset and month, one at a time, by practice and
  // key. `visit` must not call the store (its lock is held).
  void Visit(const std::string& period, const std::string& dataset,
             const std::function<void(const std::string& practice, const FieldMap& fields)>& visit);
  // One practice's records of a dataset and month, by key.
  std::vector<HeldRecord> Of(const std::string& practice, const std::string& dataset,
                             const std::string& period);
  // Every practice that synced or holds records: when it last synced, and
  // its records (and appointments) per dataset and month.
  std::vector<PracticeSummary> Summaries();
  // The id of the newest entry of the change log: it grows with every change
  // to any record (agents', corrections, resolutions), so a reading of
  // records is still current while it is unchanged. 0 before any.
  std::int64_t LastChangeId();
  // How many records, and change-log entries, a practice has.
  std::int64_t CountRecords(const std::string& practice, const std::string& dataset);
  std::int64_t CountChanges(const std::string& practice);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
