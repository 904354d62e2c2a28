// The published versions of each ICS's months, inside the server's store.
// Version N of an ICS's month is written once, whole, in one transaction, and never changed:
// the store's triggers refuse any UPDATE or DELETE of it. It holds
//   - every rollup figure at every level, coverage included, as computed when
//     it was published;
//   - the hierarchy used: the ICS's organisations valid on the month's first
//     day;
//   - its lineage: for each return, its state, revision, record count and
//     the SHA-256 of its records as used (RecordsSha256);
//   - those records, kept once per distinct SHA-256, so that `rollups
//     verify` can recompute every figure of every version from them.
//
// Works on the caller's database connection inside the caller's transaction.
// Not thread-safe on its own; ServerStore serialises it. Failures throw
// tributary::Error(kDatabase), including for stored values it cannot read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "database/connection.h"
#include "orgs/organisation.h"
#include "returns/return_state.h"
#include "rollup/rollup_row.h"

namespace tributary::server {

struct PublishedVersion {
  std::string ics;     // the ICS's code
  std::string period;  // YYYY-MM
  std::int64_t version = 0;
  std::int64_t published_at_ms = 0;
  std::string published_by;
  std::int64_t figures = 0;  // rollup rows
  std::int64_t returns = 0;  // lineage entries
};

// One return as a version used it.
struct LineageEntry {
  std::string practice;
  std::string dataset;
  ReturnState state = ReturnState::kOpen;
  std::int64_t revision = 0;
  std::int64_t records = 0;
  std::string sha256;  // RecordsSha256 of its records
};

// A return's records: (record key, canonical fields JSON), in key order.
using KeyedRecords = std::vector<std::pair<std::string, std::string>>;

// SHA-256 (hex) of "KEY\nFIELDS\n" for each record in key order; of nothing
// for a return without records. Anyone holding the records can recompute it.
std::string RecordsSha256(const KeyedRecords& records);

// A return's records as held now (the records table), by key.
KeyedRecords HeldReturnRecords(db::Connection& db, const std::string& practice,
                               const std::string& dataset, const std::string& period);

class PublishedVersions {
 public:
  // `db` must outlive this object.
  explicit PublishedVersions(db::Connection& db) : db_(db) {}

  static void CreateSchema(db::Connection& db);

  // The number the ICS's month's next version takes: 1 for the first.
  std::int64_t NextVersion(const std::string& ics, const std::string& period);

  // Keeps a return's records under their SHA-256 unless they are kept already.
  void KeepRecords(const std::string& sha256, const KeyedRecords& records);

  // Writes a whole version. Its records must have been kept.
  void Write(const PublishedVersion& version, const std::vector<Organisation>& organisations,
             const std::vector<LineageEntry>& lineage, const std::vector<RollupRow>& figures);

  // Every version of every ICS (`ics` nullopt) or of one, by ICS, month and
  // version; or one month's.
  std::vector<PublishedVersion> Versions(const std::optional<std::string>& ics = std::nullopt,
                                         const std::optional<std::string>& period = std::nullopt);
  // The version, or the month's newest when `version` is nullopt; nullopt
  // when there is no such version.
  std::optional<PublishedVersion> Find(const std::string& ics, const std::string& period,
                                       std::optional<std::int64_t> version);

  std::vector<Organisation> Organisations(const PublishedVersion& version);
  std::vector<LineageEntry> Lineage(const PublishedVersion& version);
  std::vector<RollupRow> Figures(const PublishedVersion& version);
  KeyedRecords Records(const std::string& sha256);

 private:
  db::Connection& db_;
};

}  // namespace tributary::server
