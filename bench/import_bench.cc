// Import benchmark: `tributary-agent import` of one practice's 1,000,000-row
// appointments CSV (distinct rows over several months, as a clinical system's
// back-fill would be), timed as a whole process. Compared, in the same run,
// with raw SQLite inserting the same rows (key, month, fields) into a table
// shaped like the agent's, in one transaction with the agent's settings: the
// floor with no parsing, validation, change tracking or outbox at all; and
// that floor again encrypted as the agent's store is (SQLCipher), for what
// encryption costs.
//
// And the import's peak memory against the memory the agent's systemd unit
// allows it (MemoryMax= in installers/debian/tributary-agent.service; the
// Windows service's job object has the same limit): the practice's machine is
// the clinical system's, and an import must fit.
//
//   import_bench [--rows 1000000]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "bench_cluster.h"
#include "temp_dir.h"
#include "tributary/common/code_lists.h"
#include "tributary/common/dataset.h"
#include "tributary/common/dates.h"
#include "tributary/common/files.h"
#include "tributary/common/sqlite.h"

using namespace tributary;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Row {
  std::string key, period, fields;
};

// `count` distinct rows for one practice, day by day from 2026-01-01, every
// combination of the code lists on each day.
std::string AppointmentsCsv(const std::string& practice, int count, std::vector<Row>& rows) {
  std::string csv =
      "APPOINTMENT_DATE,GP_CODE,HCP_TYPE,APPT_MODE,APPT_STATUS,TIME_BETWEEN_BOOK_AND_APPT,"
      "NATIONAL_CATEGORY,COUNT_OF_APPOINTMENTS\n";
  std::mt19937 rng(20261125);
  std::uniform_int_distribution<int> n(0, 20);
  Period month{2026, 1};
  int day = 1, made = 0;
  while (made < count) {
    std::string date = Date{month.year, month.month, day}.ToString();
    for (auto h : codes::HcpType().values)
      for (auto m : codes::AppointmentMode().values)
        for (auto s : codes::AppointmentStatus().values)
          for (auto i : codes::BookingInterval().values)
            for (auto c : codes::NationalCategory().values) {
              if (made == count) break;
              FieldMap f{{"appointment_date", date},
                         {"practice", practice},
                         {"hcp_type", std::string(h)},
                         {"appt_mode", std::string(m)},
                         {"appt_status", std::string(s)},
                         {"booking_interval", std::string(i)},
                         {"national_category", std::string(c)},
                         {"count", std::to_string(n(rng))}};
              csv += date + "," + practice + "," + f["hcp_type"] + "," + f["appt_mode"] + "," +
                     f["appt_status"] + "," + f["booking_interval"] + "," + f["national_category"] +
                     "," + f["count"] + "\n";
              rows.push_back(
                  {RecordKey(datasets::Appointments(), f), month.ToString(), CanonicalJson(f)});
              ++made;
            }
    if (++day > DaysInMonth(month.year, month.month)) {
      day = 1;
      month = month.month == 12 ? Period{month.year + 1, 1} : Period{month.year, month.month + 1};
    }
  }
  return csv;
}

// `key_hex` empty: a plain file; else encrypted as the agent's store is.
double RawSqliteRowsPerSecond(const std::filesystem::path& path, const std::vector<Row>& rows,
                              const std::string& key_hex = "") {
  auto db = sqlite::Database::Open(path, key_hex);
  db.Exec(
      "CREATE TABLE records (dataset TEXT NOT NULL, record_key TEXT NOT NULL, period TEXT NOT "
      "NULL, fields TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (dataset, record_key))");
  auto insert = db.Prepare("INSERT INTO records VALUES ('appointments', ?, ?, ?, ?)");
  auto start = SteadyClock::now();
  sqlite::Transaction txn(db);
  std::int64_t version = 0;
  for (const Row& row : rows) {
    insert.Bind(1, row.key).Bind(2, row.period).Bind(3, row.fields).Bind(4, ++version);
    insert.Run();
  }
  txn.Commit();
  double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  return static_cast<double>(rows.size()) / seconds;
}

// MemoryMax= of the agent's systemd unit, in MiB; 0 if it names none.
long UnitMemoryMaxMib() {
  std::ifstream unit(std::string(TRIBUTARY_SOURCE_DIR) +
                     "/installers/debian/tributary-agent.service");
  std::string line;
  while (std::getline(unit, line)) {
    if (line.rfind("MemoryMax=", 0) == 0 && line.back() == 'M') {
      return std::stol(line.substr(10, line.size() - 11));
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int count = 1'000'000;
  if (argc == 3 && std::string(argv[1]) == "--rows" && std::atoi(argv[2]) > 0) {
    count = std::atoi(argv[2]);
  } else if (argc != 1) {
    std::fprintf(stderr, "usage: import_bench [--rows N]\n");
    return 2;
  }
  testing::TempDir dir;
  bench::BenchServer server(dir.path() / "server");
  std::string agent_dir = (dir.path() / "B00001").string();
  server.EnrolAgent("B00001", agent_dir);

  std::fprintf(stderr, "writing a %d-row appointments CSV...\n", count);
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(count));
  auto file = dir.path() / "appointments.csv";
  files::WriteAtomic(file, AppointmentsCsv("B00001", count, rows));

  std::fprintf(stderr, "importing...\n");
  auto start = SteadyClock::now();
  bench::MustRun(bench::AgentCommand(agent_dir, {"import", file.string()}));
  double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  double rate = count / seconds;
  // The largest child waited for so far: the import (enrolment is small).
  rusage children{};
  getrusage(RUSAGE_CHILDREN, &children);
  double peak_mib = static_cast<double>(children.ru_maxrss) / 1024;
  double raw = RawSqliteRowsPerSecond(dir.path() / "raw.db", rows);
  double raw_encrypted =
      RawSqliteRowsPerSecond(dir.path() / "raw-encrypted.db", rows, std::string(64, '7'));

  char measured[96], compared[96], ratio[32];
  std::snprintf(measured, sizeof measured, "%.0f rows/s (%.1f s)", rate, seconds);
  std::snprintf(compared, sizeof compared, "raw SQLite insert of the same rows: %.0f rows/s", raw);
  std::snprintf(ratio, sizeof ratio, "%.2f", rate / raw);
  bench::PrintRow("import of a " + std::to_string(count) + "-row appointments CSV", measured,
                  compared, ratio, ">= 300k rows/s", rate >= 300'000);
  // What encrypting the store costs, on the same rows in the same run.
  std::snprintf(measured, sizeof measured, "%.0f rows/s", raw_encrypted);
  std::snprintf(compared, sizeof compared, "plain: %.0f rows/s", raw);
  std::snprintf(ratio, sizeof ratio, "%.2f", raw_encrypted / raw);
  bench::PrintRow("raw SQLite insert, encrypted as the agent's store (SQLCipher)", measured,
                  compared, ratio, "-", true);
  long limit = UnitMemoryMaxMib();
  std::snprintf(measured, sizeof measured, "peak RSS %.0f MiB", peak_mib);
  std::snprintf(compared, sizeof compared, "the agent unit's MemoryMax: %ld MiB", limit);
  std::snprintf(ratio, sizeof ratio, "%.2f", limit > 0 ? peak_mib / static_cast<double>(limit) : 0);
  bench::PrintRow("memory of that import", measured, compared, ratio, "within MemoryMax",
                  limit > 0 && peak_mib <= static_cast<double>(limit));
  return 0;
}
