// Each practice-month's rollup totals (rollup/rollup_totals.h), kept inside
// the server's store beside the records they summarise, with the practice's
// own appointment rate beside them for the cross-practice rules.
//
// The transaction that changes a practice-month's records marks it stale
// (MarkStale); every reading re-totals the month's stale ones first
// (RefreshStale), so a reading always agrees with the records (docs/design.md
// invariant 3) while ingest stays cheap.
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe on its own; ServerStore serialises it. Failures throw
// tributary::Error(kDatabase), naming the practice-month whose records cannot
// be totalled or whose kept totals cannot be read.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "database/connection.h"
#include "rollup/rollup_totals.h"

namespace tributary::server {

// A practice-month's totals as stored: their bytes
// (rollup/rollup_totals_codec.h), and its own appointment rate beside them.
struct KeptTotals {
  std::string encoded;
  std::optional<double> appointments_per_thousand;
  bool operator==(const KeptTotals&) const = default;
};

class TotalsStore {
 public:
  // `db` must outlive the store.
  explicit TotalsStore(db::Connection& db) : db_(db) {}

  // Creates the tables, or adds what a store made before lacks (the rate
  // column, filled from the totals it keeps, and its index).
  static void CreateSchema(db::Connection& db);

  // Re-totals from their records the practice-months a store made before
  // schema 3 keeps as JSON, telling `progress` (may be empty) how far it
  // has got. Returns how many.
  std::size_t RetotalJson(const std::function<void(const std::string&)>& progress = {});

  // The practice-month's records changed.
  void MarkStale(const std::string& practice, const std::string& period);
  // Re-totals the stale practice-months of `period` (nullopt: of every month).
  void RefreshStale(const std::optional<std::string>& period);

  // The month's kept totals, of every practice or of `practices`.
  std::map<std::string, RollupTotals> Read(
      const std::string& period, const std::optional<std::vector<std::string>>& practices);
  // Each practice's appointments per 1,000 registered patients in the month
  // (practices with appointments and a list size only).
  std::map<std::string, double> AppointmentRates(const std::string& period);

  // Every practice-month whose kept totals differ from a recomputation from
  // its records, as "PRACTICE PERIOD: what" (`rollups verify`).
  std::vector<std::string> Differences();

 private:
  std::optional<KeptTotals> Compute(const std::string& practice, const std::string& period);
  void Refresh(const std::string& practice, const std::string& period);

  db::Connection& db_;
};

}  // namespace tributary::server
