// The months as people read them, for `tributary-server periods` (a table,
// or --json) and the /v1/periods routes (JSON): each month's state, its
// published versions and its coverage, and a version's lineage.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <string>
#include <vector>

#include "periods/period_service.h"

namespace tributary::server {

class ServerStore;

// {"version", "published_at", "published_by", "figures", "returns"}
boost::json::object VersionJson(const PublishedVersion& version);

// {"code", "practices_expected", "practices_submitted", "practices_approved"}
// for `code`'s practices in the month, from the latest rollups.
boost::json::object CoverageJson(ServerStore& store, const std::string& code,
                                 const std::string& period);

// {"period", "state", "changed_by", "changed_at", "versions": [...],
//  "coverage": CoverageJson(code)}
boost::json::object PeriodJson(ServerStore& store, const PeriodSummary& summary,
                               const std::string& code);

// {"ics", "period", "version", "published_at", "published_by",
//  "hierarchy": [{code, name, type, parent, valid_from, valid_to}],
//  "returns": [{practice, dataset, state, revision, records, sha256}]}
// with the returns for which `visible(practice)` holds.
boost::json::object LineageJson(const PublishedLineage& lineage,
                                const std::function<bool(const std::string&)>& visible);

// The months of `ics` as a table for people, with `code`'s coverage.
std::string PeriodsTable(ServerStore& store, const std::vector<PeriodSummary>& months,
                         const std::string& code);

}  // namespace tributary::server
