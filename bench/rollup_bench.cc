// Rollup benchmark at national scale: one month of 6,300 practices (about
// 1,260 PCNs, 106 places, 42 ICSs) is ingested through the server's own
// ingest path, then rollups are read as the API reads them. Reports the
// ingest rate with validation, returns and rollup upkeep, the first read of
// the month (which re-totals every practice-month the ingest marked stale),
// and the latency (p50, p99) of PCN-, place- and ICS-level queries after it.
//
//   rollup_bench [--practices 6300] [--appointment-rows 300] [--staff 30] [--queries 200]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <random>
#include <string>
#include <vector>

#include "bench_options.h"
#include "national_month.h"
#include "rollup/rollup_readings.h"
#include "rollup/rollup_service.h"
#include "store/server_store.h"
#include "temp_dir.h"

using namespace tributary;
using namespace tributary::server;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Options {
  int practices = 6300;
  int appointment_rows = 300;
  int staff = 30;
  int queries = 200;
};

constexpr const char* kUsage =
    "usage: rollup_bench [--practices N] [--appointment-rows N] [--staff N] [--queries N]\n";

Options Parse(int argc, char** argv) {
  Options o;
  bench::ParseOptions(argc, argv, kUsage,
                      {{"--practices", &o.practices},
                       {"--appointment-rows", &o.appointment_rows},
                       {"--staff", &o.staff},
                       {"--queries", &o.queries}});
  return o;
}

double Ms(SteadyClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// p50 and p99 of `queries` rollup reads at `level`, each for a random code.
std::pair<double, double> Latency(ServerStore& store, OrgLevel level,
                                  const std::vector<std::string>& codes, int queries,
                                  std::mt19937& rng) {
  std::vector<double> times;
  std::uniform_int_distribution<std::size_t> pick(0, codes.size() - 1);
  for (int q = 0; q < queries; ++q) {
    RollupQuery query;
    query.period = "2026-08";
    query.filter.level = level;
    query.filter.code = codes[pick(rng)];
    auto start = SteadyClock::now();
    auto rows = QueryRollups(store, query);
    times.push_back(Ms(SteadyClock::now() - start));
    if (rows.empty()) {
      std::fprintf(stderr, "no rollup rows for %s\n", query.filter.code.c_str());
      std::exit(1);
    }
  }
  std::sort(times.begin(), times.end());
  auto at = [&times](double p) {
    return times[std::min(times.size() - 1,
                          static_cast<std::size_t>(p * static_cast<double>(times.size())))];
  };
  return {at(0.50), at(0.99)};
}

}  // namespace

int main(int argc, char** argv) {
  Options o = Parse(argc, argv);
  testing::TempDir dir;
  SystemClock clock;
  ServerStore store(dir.path() / "server.db", clock);
  bench::Nation nation = bench::MakeNation(o.practices);
  std::fprintf(stderr, "ingesting one month of %d practices...\n", o.practices);
  std::mt19937 rng(20261125);
  bench::IngestedMonth month =
      bench::IngestNationalMonth(store, nation, {o.staff, o.appointment_rows}, rng);
  std::size_t records = month.records;
  SteadyClock::duration ingest_time = month.ingest_time;
  double ingest_seconds = std::chrono::duration<double>(ingest_time).count();

  std::fprintf(stderr, "reading rollups...\n");
  auto first = SteadyClock::now();
  RollupQuery everything;
  everything.period = "2026-08";
  everything.filter.level = OrgLevel::kIcs;
  everything.filter.code = nation.icss.front();
  QueryRollups(store, everything);
  double first_read_ms = Ms(SteadyClock::now() - first);
  auto pcn = Latency(store, OrgLevel::kPcn, nation.pcns, o.queries, rng);
  auto place = Latency(store, OrgLevel::kPlace, nation.places, o.queries, rng);
  auto ics = Latency(store, OrgLevel::kIcs, nation.icss, std::max(o.queries / 4, 10), rng);
  if (!RollupReadings(store).Differences().empty()) {
    std::fprintf(stderr, "rollups differ from the records\n");
    return 1;
  }

  std::fprintf(stderr,
               "in-process ingest with validation, returns and rollup upkeep: %.0f records/s "
               "(%zu records, %d practices)\nfirst rollup read of the month (re-totals %d "
               "practice-months): %.0f ms\nPCN p50/p99 %.1f/%.1f ms, place %.1f/%.1f ms, ICS "
               "%.1f/%.1f ms\n",
               static_cast<double>(records) / ingest_seconds, records, o.practices, o.practices,
               first_read_ms, pcn.first, pcn.second, place.first, place.second, ics.first,
               ics.second);
  char measured[160];
  std::snprintf(measured, sizeof measured,
                "p99: PCN %.1f ms, place %.1f ms, ICS %.1f ms (p50 %.1f / %.1f / %.1f)", pcn.second,
                place.second, ics.second, pcn.first, place.first, ics.first);
  double worst = std::max({pcn.second, place.second, ics.second});
  std::printf(
      "| rollup query at national scale (%d practices, after the first read) | %s | - | - "
      "| p99 <= 10 ms | %s |\n",
      o.practices, measured, worst <= 10 ? "yes" : "no");
  std::snprintf(measured, sizeof measured, "%.0f records/s; first read %.1f s",
                static_cast<double>(records) / ingest_seconds, first_read_ms / 1000);
  std::printf(
      "| server ingest in-process, %zu records of %d practices (no network) | %s | - | - "
      "| - | - |\n",
      records, o.practices, measured);
  return 0;
}
