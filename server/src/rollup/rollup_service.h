// Rollups straight from the store, on one of three bases:
//   latest     the records held now (the kept totals of every practice-month);
//   approved   only returns that are approved or locked, as they were approved;
//   published  a published version of an ICS's month, exactly as published
//              (periods/published_versions.h), whatever changed since.
// Used by the CLI and the API alike.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "periods/published_versions.h"
#include "reconcile/record_log.h"
#include "rollup/rollup_engine.h"

namespace tributary::server {

class ServerStore;

enum class RollupBasis { kLatest, kApproved, kPublished };

// "latest", "approved", "published".
std::string_view RollupBasisName(RollupBasis basis);
std::optional<RollupBasis> ParseRollupBasis(std::string_view name);

struct RollupQuery {
  RollupFilter filter;
  std::string period;  // "YYYY-MM"; empty: every month with records (or versions)
  RollupBasis basis = RollupBasis::kLatest;
  std::string ics;                      // published: whose versions
  std::optional<std::int64_t> version;  // published: default the month's newest
};

// One month's figures and the hierarchy they were computed under: the
// current one, or for a published version the one it kept.
struct RollupMonthAnswer {
  std::string period;
  std::shared_ptr<const OrgHierarchy> hierarchy;
  std::optional<PublishedVersion> version;  // published only
  std::vector<RollupRow> rows;
};

// The query's figures, month by month. A published query naming a month
// without that version throws Error(kNotFound).
std::vector<RollupMonthAnswer> AnswerRollups(ServerStore& store, const RollupQuery& query);
// The same, every month's rows in one list.
std::vector<RollupRow> QueryRollups(ServerStore& store, const RollupQuery& query);

// Whether a row passes the filter's level, code and dataset.
bool PassesFilter(const RollupRow& row, const RollupFilter& filter);

// One month's records grouped per practice, as the engine takes them. The
// list size is the month's latest extract.
std::map<std::string, PracticeMonth> GroupByPractice(const std::vector<ServerRecord>& records);

}  // namespace tributary::server
