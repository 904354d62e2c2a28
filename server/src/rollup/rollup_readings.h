// What a month's rollups are computed from, read from the store: each
// practice's kept totals (rollup/totals_store.h, re-totalled first where
// stale) or its approved returns' records, with the states of its returns;
// and `rollups verify`'s recomputation of every kept total. Each call is a
// unit of work of the store (store/server_store.h): the re-totalling writes,
// then one consistent reading.
//
// Failures throw tributary::Error (the store's; kCorruption for a stored
// state or total that cannot be read back). Thread-safe as the store is;
// holds only a reference to the store, which must outlive it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "returns/return_state.h"
#include "rollup/rollup_totals.h"

namespace tributary::server {

class ServerStore;

// What one month's rollups are computed from.
struct RollupMonth {
  std::map<std::string, RollupTotals> totals;  // practice -> its kept totals
  // practice -> dataset -> state, for the month's returns anyone acted on.
  std::map<std::string, std::map<std::string, ReturnState>> returns;
};

class RollupReadings {
 public:
  explicit RollupReadings(ServerStore& store) : store_(store) {}

  // The month for `practices` (nullopt: every practice) as held now: the
  // totals kept for each practice (stale ones re-totalled first) and the
  // states of its returns.
  RollupMonth Latest(const std::string& period,
                     const std::optional<std::vector<std::string>>& practices);
  // The same from the approved revisions' records only: the totals of each
  // return that is approved or locked, as it was approved.
  RollupMonth Approved(const std::string& period,
                       const std::optional<std::vector<std::string>>& practices);
  // Each practice's appointments per 1,000 registered patients in the month,
  // from its totals: practices with appointments and a list size only.
  std::map<std::string, double> AppointmentsPerThousand(const std::string& period);
  // Recomputes every practice-month's totals from the records and lists
  // where the kept ones differ (`rollups verify`); empty when all agree.
  std::vector<std::string> Differences();

 private:
  // Re-totals the stale practice-months of `period` (nullopt: of every month).
  void RefreshStale(const std::optional<std::string>& period);

  ServerStore& store_;
};

}  // namespace tributary::server
