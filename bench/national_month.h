// One month of a nation's practices for the benchmarks: England's shape
// (42 ICSs, 106 places, five practices to a PCN), each practice with a list
// size, staff (one in ten shared with the next practice) and appointment
// rows, ingested through the server's own path. Used by rollup_bench and
// web_bench.
#pragma once

#include <chrono>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "orgs/organisation.h"
#include "store/server_store.h"
#include "tributary/protocol/messages.h"

namespace tributary::bench {

using server::Organisation;
using server::OrgLevel;

struct Nation {
  std::vector<Organisation> organisations;
  std::vector<std::string> practices, pcns, places, icss;
};

struct MonthShape {
  int staff = 30;
  int appointment_rows = 300;
};

// `practice_count` practices in England's shape.
Nation MakeNation(int practice_count);

// One practice's August 2026.
protocol::PushBatch OneMonth(const std::string& practice, const std::string& neighbour,
                             const MonthShape& shape, std::mt19937& rng);

struct IngestedMonth {
  std::size_t records = 0;
  std::chrono::steady_clock::duration ingest_time{};  // in PushIngest::Ingest only
};

// Imports `nation`'s hierarchy into `store`, enrols every practice and
// ingests its month. Exits with a message if any change is refused.
IngestedMonth IngestNationalMonth(server::ServerStore& store, const Nation& nation,
                                  const MonthShape& shape, std::mt19937& rng);

}  // namespace tributary::bench
