// Ingest benchmark: N agents each push M appointment records to one server
// over mutual TLS on loopback, all at once. Compared, in the same run, with
// the raw SQLite upsert rate of the same rows into a table shaped like the
// server's, in transactions of the agent's batch size — the floor of what the
// store could do with no protocol, validation or network at all.
//
// Then a sync with nothing to do, and one after 1% of each practice's rows
// changed, counting requests and HTTP bytes; with --peer, the same records
// replicated with PouchDB (bench/peer) in the same run.
//
//   sync_bench [--agents 20] [--records 50000] [--csv-dir DIR] [--peer bench/peer/pouch_bench.js]
#include <signal.h>

#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "agent_load.h"
#include "bench_cluster.h"
#include "bench_options.h"
#include "child_process.h"
#include "temp_dir.h"
#include "tributary/common/dataset.h"
#include "tributary/common/files.h"
#include "tributary/common/sqlite.h"

using namespace tributary;
using tributary::bench::AppointmentsCsv;
using tributary::bench::PracticeCode;
using tributary::bench::SyncAll;
using tributary::bench::Traffic;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kBatchSize = 5000;  // the agent's default

struct Options {
  int agents = 20;
  int records = 50000;
  std::string csv_dir;  // keep each practice's CSV here (PRACTICE.csv) for the peer
  std::string peer;     // bench/peer/pouch_bench.js: replicate the same records with PouchDB
};

constexpr const char* kUsage =
    "usage: sync_bench [--agents N] [--records M] [--csv-dir DIR] [--peer PATH/pouch_bench.js]\n";

// Exits with a usage message on anything it does not understand: a benchmark
// that silently ignores a mistyped flag reports figures for the wrong run.
Options Parse(int argc, char** argv) {
  Options o;
  tributary::bench::ParseOptions(argc, argv, kUsage,
                                 {{"--agents", &o.agents}, {"--records", &o.records}},
                                 {{"--csv-dir", &o.csv_dir}, {"--peer", &o.peer}});
  return o;
}

// Redraws the count of one row in a hundred of a practice's CSV.
std::string ChangeOnePercent(const std::string& csv, std::mt19937& rng, int* changed) {
  std::string out;
  std::size_t start = 0;
  int line = 0;
  std::uniform_int_distribution<int> n(21, 40);  // outside the first draw's 0..20: a real change
  while (start < csv.size()) {
    std::size_t end = csv.find('\n', start);
    std::string row = csv.substr(start, end - start);
    start = end + 1;
    if (line > 0 && line % 100 == 0) {
      row = row.substr(0, row.rfind(',') + 1) + std::to_string(n(rng));
      ++*changed;
    }
    out += row + "\n";
    ++line;
  }
  return out;
}

// Upserts the same rows straight into SQLite, in the agent's batch size.
double RawSqliteRowsPerSecond(const std::filesystem::path& path,
                              const std::vector<std::vector<FieldMap>>& per_practice) {
  auto db = sqlite::Database::Open(path);
  db.Exec(
      "CREATE TABLE records (practice TEXT NOT NULL, dataset TEXT NOT NULL, record_key TEXT NOT "
      "NULL, period TEXT NOT NULL, fields TEXT NOT NULL, version INTEGER NOT NULL, origin TEXT "
      "NOT NULL, updated_at_ms INTEGER NOT NULL, PRIMARY KEY (practice, dataset, record_key)) "
      "WITHOUT ROWID");
  auto upsert = db.Prepare(
      "INSERT INTO records VALUES (?, 'appointments', ?, ?, ?, 1, 'bench', 0) "
      "ON CONFLICT (practice, dataset, record_key) DO UPDATE SET fields = excluded.fields");
  std::size_t total = 0;
  auto start = Clock::now();
  for (const auto& rows : per_practice) {
    for (std::size_t i = 0; i < rows.size(); i += kBatchSize) {
      sqlite::Transaction txn(db);
      for (std::size_t j = i; j < std::min(rows.size(), i + kBatchSize); ++j) {
        const FieldMap& row = rows[j];
        upsert.Bind(1, row.at("practice"));
        upsert.Bind(2, RecordKey(datasets::Appointments(), row));
        upsert.Bind(3, RecordPeriod(datasets::Appointments(), row));
        upsert.Bind(4, CanonicalJson(row));
        upsert.Run();
        ++total;
      }
      txn.Commit();
    }
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(total) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = Parse(argc, argv);
  testing::TempDir dir;
  bench::BenchServer server(dir.path() / "server");
  std::fprintf(stderr, "preparing %d agents x %d records...\n", options.agents, options.records);
  std::mt19937 rng(20261124);
  std::vector<std::vector<FieldMap>> rows(static_cast<std::size_t>(options.agents));
  std::vector<std::string> agent_dirs;
  std::vector<std::string> csvs, original_csvs;  // each practice's file, now and as first pushed
  std::filesystem::path csv_dir =
      options.csv_dir.empty() ? dir.path() / "csv" : std::filesystem::path(options.csv_dir);
  std::filesystem::create_directories(csv_dir);
  for (int a = 0; a < options.agents; ++a) {
    std::string practice = PracticeCode(a);
    std::string agent_dir = (dir.path() / practice).string();
    agent_dirs.push_back(agent_dir);
    server.EnrolAgent(practice, agent_dir);
    auto csv = csv_dir / (practice + ".csv");
    csvs.push_back(
        AppointmentsCsv(practice, options.records, rng, &rows[static_cast<std::size_t>(a)]));
    original_csvs.push_back(csvs.back());
    files::WriteAtomic(csv, csvs.back());
    bench::MustRun(bench::AgentCommand(agent_dir, {"import", csv.string()}));
  }

  std::fprintf(stderr, "pushing...\n");
  auto [push_seconds, pushed] = SyncAll(agent_dirs);
  double total = static_cast<double>(options.agents) * options.records;
  // A fast run that lost rows measures nothing: check the server holds them all.
  {
    auto db = sqlite::Database::Open(dir.path() / "server" / "server.db");
    auto count = db.Prepare("SELECT count(*) FROM records WHERE dataset = 'appointments'");
    count.Step();
    if (static_cast<double>(count.ColumnInt(0)) != total) {
      std::fprintf(stderr, "the server holds %lld records, expected %.0f\n",
                   static_cast<long long>(count.ColumnInt(0)), total);
      return 1;
    }
  }
  double push_rate = total / push_seconds;
  double raw_rate = RawSqliteRowsPerSecond(dir.path() / "raw.db", rows);

  std::fprintf(stderr, "no-op sync...\n");
  auto [noop_seconds, noop] = SyncAll(agent_dirs);
  std::fprintf(stderr, "1%% of each practice's rows changed, then sync...\n");
  int changed = 0;
  for (std::size_t a = 0; a < agent_dirs.size(); ++a) {
    csvs[a] = ChangeOnePercent(csvs[a], rng, &changed);
    auto file = csv_dir / (PracticeCode(static_cast<int>(a)) + ".csv");
    files::WriteAtomic(file, csvs[a]);
    bench::MustRun(bench::AgentCommand(agent_dirs[a], {"import", file.string()}));
  }
  auto [one_percent_seconds, one_percent] = SyncAll(agent_dirs);
  const double n = static_cast<double>(options.agents);
  (void)noop_seconds;

  std::printf(
      "| ingest: %d agents x %d records over mTLS, validation and rollups kept | %.0f "
      "records/s | raw SQLite upsert of the same rows: %.0f rows/s | %.2f | >= 0.4 | %s |\n",
      options.agents, options.records, push_rate, raw_rate, push_rate / raw_rate,
      push_rate / raw_rate >= 0.4 ? "yes" : "no");
  if (!options.peer.empty()) {
    // The same CSVs, before the 1% change, replicated with PouchDB: rewrite them first.
    for (std::size_t a = 0; a < agent_dirs.size(); ++a) {
      files::WriteAtomic(csv_dir / (PracticeCode(static_cast<int>(a)) + ".csv"), original_csvs[a]);
    }
    std::fprintf(stderr, "the same records with PouchDB (%s)...\n", options.peer.c_str());
    testing::RunResult peer = testing::Run(
        {"/usr/bin/node", options.peer, "--csv-dir", csv_dir.string()}, std::chrono::seconds(7200));
    if (peer.exit_code != 0) {
      std::fprintf(stderr, "sync_bench: the PouchDB peer failed (%d): %s\n", peer.exit_code,
                   peer.err.c_str());
      return 1;
    }
    auto json = boost::json::parse(peer.out.substr(peer.out.find('{'))).as_object();
    auto number = [&json](const char* name) { return json.at(name).to_number<double>(); };
    double pouch_rate = number("records_per_second");
    double pouch_bytes = number("bytes_per_record");
    double our_bytes = pushed.bytes / total;
    std::printf(
        "| peer: the same records replicated | %.0f records/s | PouchDB %s: %.0f "
        "records/s | %.1fx | >= 50x | %s |\n",
        push_rate, json.at("pouchdb_version").as_string().c_str(), pouch_rate,
        push_rate / pouch_rate, push_rate / pouch_rate >= 50 ? "yes" : "no");
    std::printf(
        "| peer: bytes per record on the wire (HTTP) | %.1f B | PouchDB: %.1f B | %.3f | "
        "<= 0.1 | %s |\n",
        our_bytes, pouch_bytes, our_bytes / pouch_bytes,
        our_bytes / pouch_bytes <= 0.1 ? "yes" : "no");
    std::printf(
        "| no-op sync, per agent | %.2f requests, %.0f B | PouchDB: %.2f requests, %.0f B "
        "| - | <= 1 request, <= 1 KB | %s |\n",
        noop.requests / n, noop.bytes / n, number("noop_requests_per_agent"),
        number("noop_bytes_per_agent"),
        noop.requests / n <= 1 && noop.bytes / n <= 1024 ? "yes" : "no");
    std::printf(
        "| 1%%-changed sync, per agent (%d records in all) | %.2f requests, %.0f B; %.2f s "
        "for all | PouchDB: %.2f requests, %.0f B; %.2f s | %.3f (bytes) | - | - |\n",
        changed, one_percent.requests / n, one_percent.bytes / n, one_percent_seconds,
        number("one_percent_requests_per_agent"), number("one_percent_bytes_per_agent"),
        number("one_percent_seconds"),
        one_percent.bytes / n / number("one_percent_bytes_per_agent"));
  } else {
    std::printf(
        "| no-op sync, per agent | %.2f requests, %.0f B | (no peer run) | - | <= 1 "
        "request, <= 1 KB | %s |\n",
        noop.requests / n, noop.bytes / n,
        noop.requests / n <= 1 && noop.bytes / n <= 1024 ? "yes" : "no");
    std::printf(
        "| 1%%-changed sync, per agent (%d records in all) | %.2f requests, %.0f B; %.2f s "
        "for all | (no peer run) | - | - | - |\n",
        changed, one_percent.requests / n, one_percent.bytes / n, one_percent_seconds);
  }
  return 0;
}
