// Rollups straight from the store: loads the hierarchy and a month's records
// and hands them to the engine. Used by the CLI and the API alike.
#pragma once

#include <string>
#include <vector>

#include "rollup/rollup_engine.h"
#include "store/server_store.h"

namespace tributary::server {

struct RollupQuery {
  RollupFilter filter;
  std::string period;  // "YYYY-MM"; empty: every month with records
};

std::vector<RollupRow> QueryRollups(ServerStore& store, const RollupQuery& query);

// One month's records grouped per practice, as the engine takes them. The
// list size is the month's latest extract.
std::map<std::string, PracticeMonth> GroupByPractice(const std::vector<ServerRecord>& records);

}  // namespace tributary::server
