// Loading a server with agents' pushes, for the ingest benchmarks
// (sync_bench, postgres_bench): appointment rows made up for a practice,
// and every agent syncing at once with what each reported of its traffic.
#pragma once

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "tributary/common/dataset.h"

namespace tributary::bench {

// "B00001", "B00002", ...: the benchmarks' practices.
std::string PracticeCode(int i);

// `count` distinct appointment rows for one practice, as a GPAD CSV, walking
// the code lists day by day from 2026-08-01; each row's fields into `rows`
// when given.
std::string AppointmentsCsv(const std::string& practice, int count, std::mt19937& rng,
                            std::vector<FieldMap>* rows);

// What one `tributary-agent sync` reported of its traffic.
struct Traffic {
  double requests = 0;
  double bytes = 0;
};

// Starts one sync per agent at once; returns the seconds until the last exits
// and their traffic summed. Exits on any failure: a figure from a run that
// failed measures nothing.
std::pair<double, Traffic> SyncAll(const std::vector<std::string>& agent_dirs);

}  // namespace tributary::bench
