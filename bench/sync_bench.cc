// Ingest benchmark: N agents each push M appointment records to one server
// over mutual TLS on loopback, all at once. Compared, in the same run, with
// the raw SQLite upsert rate of the same rows into a table shaped like the
// server's, in transactions of the agent's batch size — the floor of what the
// store could do with no protocol, validation or network at all.
//
//   sync_bench [--agents 20] [--records 50000]
#include <signal.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <exception>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "child_process.h"
#include "temp_dir.h"
#include "tributary/common/dataset.h"
#include "tributary/common/files.h"
#include "tributary/common/sqlite.h"

using namespace tributary;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kBatchSize = 5000;  // the agent's default

struct Options {
  int agents = 20;
  int records = 50000;
};

constexpr const char* kUsage = "usage: sync_bench [--agents N] [--records M]\n";

// Exits with a usage message on anything it does not understand: a benchmark
// that silently ignores a mistyped flag reports figures for the wrong run.
Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    int* target = flag == "--agents" ? &o.agents : flag == "--records" ? &o.records : nullptr;
    if (target == nullptr || i + 1 >= argc) {
      std::fprintf(stderr, "sync_bench: unknown or incomplete option '%s'\n%s", flag.c_str(), kUsage);
      std::exit(2);
    }
    try {
      *target = std::stoi(argv[i + 1]);
    } catch (const std::exception&) {
      *target = 0;
    }
    if (*target <= 0) {
      std::fprintf(stderr, "sync_bench: %s needs a positive number\n", flag.c_str());
      std::exit(2);
    }
  }
  return o;
}

std::string PracticeCode(int i) {
  char code[16];
  std::snprintf(code, sizeof code, "B%05d", i + 1);
  return code;
}

// `count` distinct appointment rows for one practice, as a GPAD CSV, walking
// the code lists day by day from 2026-08-01.
std::string AppointmentsCsv(const std::string& practice, int count, std::mt19937& rng,
                            std::vector<FieldMap>* rows) {
  std::string csv =
      "APPOINTMENT_DATE,GP_CODE,HCP_TYPE,APPT_MODE,APPT_STATUS,TIME_BETWEEN_BOOK_AND_APPT,"
      "NATIONAL_CATEGORY,COUNT_OF_APPOINTMENTS\n";
  const auto& hcp = codes::HcpType().values;
  const auto& mode = codes::AppointmentMode().values;
  const auto& status = codes::AppointmentStatus().values;
  const auto& interval = codes::BookingInterval().values;
  const auto& category = codes::NationalCategory().values;
  std::uniform_int_distribution<int> n(0, 20);
  int made = 0;
  for (int day = 1; made < count; ++day) {
    char date[32];
    std::snprintf(date, sizeof date, "2026-08-%02d", day);
    for (auto h : hcp) for (auto m : mode) for (auto s : status) for (auto i : interval)
      for (auto c : category) {
        if (made == count) break;
        std::string value = std::to_string(n(rng));
        csv += std::string(date) + "," + practice + "," + std::string(h) + "," + std::string(m) +
               "," + std::string(s) + "," + std::string(i) + "," + std::string(c) + "," + value +
               "\n";
        if (rows) {
          rows->push_back({{"appointment_date", date}, {"practice", practice},
                           {"hcp_type", std::string(h)}, {"appt_mode", std::string(m)},
                           {"appt_status", std::string(s)}, {"booking_interval", std::string(i)},
                           {"national_category", std::string(c)}, {"count", value}});
        }
        ++made;
      }
  }
  return csv;
}

testing::RunResult MustRun(const std::vector<std::string>& argv) {
  testing::RunResult r = testing::Run(argv, std::chrono::seconds(600));
  if (r.exit_code != 0) {
    std::fprintf(stderr, "%s failed (%d): %s\n", argv[1].c_str(), r.exit_code, r.err.c_str());
    std::exit(1);
  }
  return r;
}

std::string JsonField(const std::string& json, const std::string& name) {
  auto at = json.find("\"" + name + "\":\"");
  auto start = at + name.size() + 4;
  return json.substr(start, json.find('"', start) - start);
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
  std::string server_dir = (dir.path() / "server").string();
  MustRun({TRIBUTARY_SERVER_BIN, "init", "--data-dir", server_dir, "--hostname", "127.0.0.1"});
  testing::ChildProcess server({TRIBUTARY_SERVER_BIN, "serve", "--data-dir", server_dir,
                                "--listen", "127.0.0.1:0"},
                               dir.path() / "serve.log");
  std::string line = server.WaitForLine("listening on ");
  std::string url = "https://" + line.substr(std::string("listening on ").size());

  std::fprintf(stderr, "preparing %d agents x %d records...\n", options.agents, options.records);
  std::mt19937 rng(20261124);
  std::vector<std::vector<FieldMap>> rows(static_cast<std::size_t>(options.agents));
  std::vector<std::string> agent_dirs;
  for (int a = 0; a < options.agents; ++a) {
    std::string practice = PracticeCode(a);
    std::string agent_dir = (dir.path() / practice).string();
    agent_dirs.push_back(agent_dir);
    std::string config = agent_dir + ".toml";
    files::WriteAtomic(config, "");
    auto token = MustRun({TRIBUTARY_SERVER_BIN, "token", "create", "--data-dir", server_dir,
                          "--practice", practice, "--json"});
    MustRun({TRIBUTARY_AGENT_BIN, "enrol", "--data-dir", agent_dir, "--config", config,
             "--server", url, "--token", JsonField(token.out, "token"), "--ca-sha256",
             JsonField(token.out, "ca_sha256")});
    auto csv = dir.path() / (practice + ".csv");
    files::WriteAtomic(csv, AppointmentsCsv(practice, options.records, rng,
                                            &rows[static_cast<std::size_t>(a)]));
    MustRun({TRIBUTARY_AGENT_BIN, "import", csv.string(), "--data-dir", agent_dir, "--config",
             config});
  }

  std::fprintf(stderr, "pushing...\n");
  auto start = Clock::now();
  std::vector<std::unique_ptr<testing::ChildProcess>> syncs;
  for (const auto& agent_dir : agent_dirs) {
    syncs.push_back(std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{TRIBUTARY_AGENT_BIN, "sync", "--data-dir", agent_dir, "--config",
                                 agent_dir + ".toml"},
        agent_dir + ".sync.log"));
  }
  int failures = 0;
  for (auto& s : syncs) failures += s->Wait(std::chrono::seconds(1800)) != 0;
  double push_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (failures > 0) {
    std::fprintf(stderr, "%d agents failed to sync\n", failures);
    return 1;
  }
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

  std::printf("| benchmark | records | seconds | records/s |\n|---|---:|---:|---:|\n");
  std::printf("| ingest: %d agents x %d appointment records over mTLS | %.0f | %.2f | %.0f |\n",
              options.agents, options.records, total, push_seconds, push_rate);
  std::printf("| raw SQLite upsert of the same rows (batches of %zu) | %.0f | %.2f | %.0f |\n",
              kBatchSize, total, total / raw_rate, raw_rate);
  std::printf("\ningest / raw SQLite = %.2f\n", push_rate / raw_rate);
  server.Signal(SIGTERM);
  server.Wait();
  return 0;
}
