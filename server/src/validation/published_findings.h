// Cross-practice findings as last told to each practice. Ingest marks a month
// stale; the findings publisher (validation/findings_publisher.h) recomputes
// stale months and, through this class, tells each practice only what changed
// for its returns: one "findings" notice per (dataset, month) whose findings
// differ from what it was last told, in the same transaction that records
// what was told. Works on the caller's connection; not thread-safe on its own.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "database/connection.h"

namespace tributary::server {

// practice -> dataset -> "reason [rule]" lines.
using FindingsByReturn = std::map<std::string, std::map<std::string, std::vector<std::string>>>;

class PublishedFindings {
 public:
  explicit PublishedFindings(db::Connection& db) : db_(db) {}

  static void CreateSchema(db::Connection& db);

  // The month's data changed. Caller holds a transaction.
  void MarkStale(const std::string& period);

  // Stale months and their marks; a mark grows each time a month is marked,
  // so a publisher can tell whether it saw the latest change.
  std::map<std::string, std::int64_t> StalePeriods();

  // Records `findings` as the month's current findings, appends a notice for
  // each return whose findings changed, and clears the stale mark unless the
  // month was marked again after `mark`. Returns the notices appended.
  // Caller holds a transaction.
  std::size_t Publish(const std::string& period, const FindingsByReturn& findings,
                      std::int64_t mark, std::int64_t now_ms);

 private:
  db::Connection& db_;
};

}  // namespace tributary::server
