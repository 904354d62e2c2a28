// The store on PostgreSQL (docs/performance.md), in a cluster of the
// benchmark's own with PostgreSQL's durable defaults (fsync on):
//
//   1. ingest: N agents push M appointment records each to one `serve` over
//      mutual TLS, against raw `INSERT ... ON CONFLICT` of the same rows into
//      a table shaped like the server's, prepared, one transaction per agent
//      batch (5,000), the store's session settings, row by row (the target's
//      comparison) and 64 rows to a statement (as the server writes them);
//   2. the same push spread over two `serve` instances on one store, against
//      the one instance;
//   3. a national month ingested in-process (the server's own ingest path)
//      and its first ICS rollup read, on PostgreSQL against SQLite.
//
// Each scenario has a store (a schema) of its own. Prints markdown rows.
//
//   postgres_bench [--agents 20] [--records 20000] [--practices 630]
#include <libpq-fe.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "agent_load.h"
#include "bench_cluster.h"
#include "bench_options.h"
#include "child_process.h"
#include "national_month.h"
#include "rollup/rollup_service.h"
#include "store/server_store.h"
#include "temp_dir.h"
#include "tributary/common/files.h"

using namespace tributary;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kBatchSize = 5000;  // the agent's default

struct Options {
  int agents = 20;
  int records = 20000;
  int practices = 630;
};

constexpr const char* kUsage = "usage: postgres_bench [--agents N] [--records M] [--practices P]\n";

Options Parse(int argc, char** argv) {
  Options o;
  bench::ParseOptions(
      argc, argv, kUsage,
      {{"--agents", &o.agents}, {"--records", &o.records}, {"--practices", &o.practices}});
  return o;
}

// Thrown, so the cluster is stopped on the way out (main reports it).
[[noreturn]] void Fail(const std::string& what) { throw std::runtime_error(what); }

// The benchmark's own cluster (tests/support/test_postgres.sh), durable.
class Cluster {
 public:
  explicit Cluster(std::filesystem::path dir) : dir_(std::move(dir)) {
    Script("start");
    std::string text = files::Read(dir_ / "url");
    url_ = text.substr(0, text.find('\n'));
  }
  ~Cluster() { testing::Run({Script(), "stop", dir_.string()}); }
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // A store of its own: the URL of a new schema.
  std::string Store(const std::string& schema) {
    Exec(Connect(), "CREATE SCHEMA " + schema);
    return url_ + "&options=-csearch_path%3D" + schema;
  }
  PGconn* Connect() const {
    PGconn* conn = PQconnectdb(url_.c_str());
    if (PQstatus(conn) != CONNECTION_OK) Fail(PQerrorMessage(conn));
    return conn;
  }
  static void Exec(PGconn* conn, const std::string& sql, bool keep = false) {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
      Fail(sql + ": " + PQresultErrorMessage(r));
    }
    PQclear(r);
    if (!keep) PQfinish(conn);
  }
  long long Count(const std::string& sql) const {
    PGconn* conn = Connect();
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK) Fail(sql + ": " + PQresultErrorMessage(r));
    long long n = std::atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(conn);
    return n;
  }

 private:
  static std::string Script() {
    return std::string(TRIBUTARY_SOURCE_DIR) + "/tests/support/test_postgres.sh";
  }
  void Script(const char* action) {
    testing::RunResult r =
        testing::Run({Script(), action, dir_.string()}, std::chrono::seconds(120),
                     {{"TEST_POSTGRES_DURABLE", "1"}});
    if (r.exit_code != 0) Fail(std::string("test_postgres.sh ") + action + ": " + r.err);
  }

  std::filesystem::path dir_;
  std::string url_;
};

// Upserts the rows straight into PostgreSQL, as the store's sessions would,
// `per_statement` rows to a prepared statement (1: row by row).
double RawRowsPerSecond(const Cluster& cluster, const std::vector<std::vector<FieldMap>>& rows,
                        std::size_t per_statement) {
  PGconn* conn = cluster.Connect();
  std::string schema = "raw_" + std::to_string(per_statement);
  Cluster::Exec(conn,
                "SET synchronous_commit = on; CREATE SCHEMA " + schema + "; CREATE TABLE " +
                    schema +
                    ".records ("
                    "practice TEXT COLLATE \"C\" NOT NULL, dataset TEXT COLLATE \"C\" NOT NULL, "
                    "record_key TEXT COLLATE \"C\" NOT NULL, period TEXT COLLATE \"C\" NOT NULL, "
                    "fields TEXT COLLATE \"C\" NOT NULL, version BIGINT NOT NULL, "
                    "origin TEXT COLLATE \"C\" NOT NULL, updated_at_ms BIGINT NOT NULL, "
                    "PRIMARY KEY (practice, dataset, record_key))",
                true);
  auto prepare = [&](const std::string& name, std::size_t n) {
    std::string sql = "INSERT INTO " + schema + ".records VALUES ";
    for (std::size_t k = 0; k < n; ++k) {
      std::string p = std::to_string(4 * k + 1);
      sql += (k ? ", ($" : "($") + p + ", 'appointments', $" + std::to_string(4 * k + 2) + ", $" +
             std::to_string(4 * k + 3) + ", $" + std::to_string(4 * k + 4) + ", 1, 'bench', 0)";
    }
    sql += " ON CONFLICT (practice, dataset, record_key) DO UPDATE SET fields = excluded.fields";
    PGresult* prepared =
        PQprepare(conn, name.c_str(), sql.c_str(), static_cast<int>(4 * n), nullptr);
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK) Fail(PQresultErrorMessage(prepared));
    PQclear(prepared);
  };
  prepare("many", per_statement);
  prepare("one", 1);
  std::size_t total = 0;
  auto start = SteadyClock::now();
  for (const auto& practice_rows : rows) {
    for (std::size_t i = 0; i < practice_rows.size(); i += kBatchSize) {
      Cluster::Exec(conn, "BEGIN", true);
      std::size_t end = std::min(practice_rows.size(), i + kBatchSize);
      for (std::size_t j = i; j < end;) {
        std::size_t n = j + per_statement <= end ? per_statement : 1;
        std::vector<std::string> texts;
        for (std::size_t k = j; k < j + n; ++k) {
          const FieldMap& row = practice_rows[k];
          texts.push_back(row.at("practice"));
          texts.push_back(RecordKey(datasets::Appointments(), row));
          texts.push_back(RecordPeriod(datasets::Appointments(), row));
          texts.push_back(CanonicalJson(row));
        }
        std::vector<const char*> values;
        for (const std::string& t : texts) values.push_back(t.c_str());
        PGresult* r = PQexecPrepared(conn, n == 1 ? "one" : "many", static_cast<int>(values.size()),
                                     values.data(), nullptr, nullptr, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) Fail(PQresultErrorMessage(r));
        PQclear(r);
        total += n;
        j += n;
      }
      Cluster::Exec(conn, "COMMIT", true);
    }
  }
  double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  PQfinish(conn);
  return static_cast<double>(total) / seconds;
}

// Every agent's CSV pushed to `servers` (agent i to server i mod n) at once,
// into the store `schema`; records per second. Checks the store holds them all.
double PushRate(const Cluster& cluster, const std::string& schema,
                const std::vector<bench::BenchServer*>& servers,
                const std::vector<std::filesystem::path>& csvs, const std::filesystem::path& dir,
                double expected) {
  std::vector<std::string> agent_dirs;
  std::filesystem::create_directories(dir);
  for (std::size_t a = 0; a < csvs.size(); ++a) {
    std::string agent_dir = (dir / bench::PracticeCode(static_cast<int>(a))).string();
    agent_dirs.push_back(agent_dir);
    servers[a % servers.size()]->EnrolAgent(bench::PracticeCode(static_cast<int>(a)), agent_dir);
    bench::MustRun(bench::AgentCommand(agent_dir, {"import", csvs[a].string()}));
  }
  double seconds = bench::SyncAll(agent_dirs).first;
  long long held =
      cluster.Count("SELECT count(*) FROM " + schema + ".records WHERE dataset = 'appointments'");
  if (static_cast<double>(held) != expected) {
    Fail("the store " + schema + " holds " + std::to_string(held) + " records, expected " +
         std::to_string(static_cast<long long>(expected)));
  }
  return expected / seconds;
}

struct MonthFigures {
  double records_per_second = 0;
  double first_read_seconds = 0;
  std::size_t records = 0;
};

MonthFigures NationalMonth(const server::db::StoreLocation& where, int practices) {
  SystemClock clock;
  server::ServerStore store(where, clock);
  bench::Nation nation = bench::MakeNation(practices);
  std::mt19937 rng(20261125);
  bench::IngestedMonth month = bench::IngestNationalMonth(store, nation, {30, 300}, rng);
  auto first = SteadyClock::now();
  server::RollupQuery query;
  query.period = "2026-08";
  query.filter.level = server::OrgLevel::kIcs;
  query.filter.code = nation.icss.front();
  if (server::QueryRollups(store, query).empty()) Fail("no ICS rollup rows");
  MonthFigures f;
  f.first_read_seconds = std::chrono::duration<double>(SteadyClock::now() - first).count();
  f.records = month.records;
  f.records_per_second =
      static_cast<double>(month.records) / std::chrono::duration<double>(month.ingest_time).count();
  return f;
}

int Bench(const Options& o) {
  testing::TempDir dir;
  Cluster cluster(dir.path() / "postgres");

  std::fprintf(stderr, "preparing %d agents x %d records...\n", o.agents, o.records);
  std::mt19937 rng(20261124);
  std::vector<std::vector<FieldMap>> rows(static_cast<std::size_t>(o.agents));
  std::vector<std::filesystem::path> csvs;
  std::filesystem::create_directories(dir.path() / "csv");
  for (int a = 0; a < o.agents; ++a) {
    std::string practice = bench::PracticeCode(a);
    csvs.push_back(dir.path() / "csv" / (practice + ".csv"));
    files::WriteAtomic(csvs.back(), bench::AppointmentsCsv(practice, o.records, rng,
                                                           &rows[static_cast<std::size_t>(a)]));
  }
  const double total = static_cast<double>(o.agents) * o.records;

  std::fprintf(stderr, "pushing to one instance...\n");
  double one_rate = 0;
  {
    std::string store = cluster.Store("one_instance");
    bench::BenchServer server(dir.path() / "one", {}, {"--store", store});
    one_rate = PushRate(cluster, "one_instance", {&server}, csvs, dir.path() / "one-agents", total);
  }
  std::fprintf(stderr, "raw INSERT ... ON CONFLICT of the same rows...\n");
  double raw_rate = RawRowsPerSecond(cluster, rows, 1);
  double raw_many_rate = RawRowsPerSecond(cluster, rows, 64);
  std::fprintf(stderr, "pushing to two instances...\n");
  double two_rate = 0;
  {
    std::string store = cluster.Store("two_instances");
    bench::BenchServer first(dir.path() / "two-a", {}, {"--store", store});
    bench::BenchServer second(first, dir.path() / "two-b");
    two_rate = PushRate(cluster, "two_instances", {&first, &second}, csvs,
                        dir.path() / "two-agents", total);
  }
  std::fprintf(stderr, "a national month of %d practices in-process, PostgreSQL then SQLite...\n",
               o.practices);
  MonthFigures on_postgres =
      NationalMonth(server::db::StoreLocation::Parse(cluster.Store("national")), o.practices);
  MonthFigures on_sqlite = NationalMonth(dir.path() / "national.db", o.practices);

  char text[256], compared[256], ratio[32];
  std::snprintf(text, sizeof text, "%.0f records/s", one_rate);
  std::snprintf(compared, sizeof compared, "raw PostgreSQL INSERT ... ON CONFLICT: %.0f rows/s",
                raw_rate);
  std::snprintf(ratio, sizeof ratio, "%.2f", one_rate / raw_rate);
  bench::PrintRow("ingest into PostgreSQL: " + std::to_string(o.agents) + " agents x " +
                      std::to_string(o.records) + " records over mTLS, one instance",
                  text, compared, ratio, ">= 0.5", one_rate / raw_rate >= 0.5);
  std::snprintf(text, sizeof text, "%.0f records/s", one_rate);
  std::snprintf(compared, sizeof compared,
                "raw PostgreSQL INSERT ... ON CONFLICT, 64 rows a statement: %.0f rows/s",
                raw_many_rate);
  std::snprintf(ratio, sizeof ratio, "%.2f", one_rate / raw_many_rate);
  bench::PrintRow("the same, against raw inserts as batched as the server's", text, compared, ratio,
                  "-", true);
  std::snprintf(text, sizeof text, "%.0f records/s", two_rate);
  std::snprintf(compared, sizeof compared, "one instance: %.0f records/s", one_rate);
  std::snprintf(ratio, sizeof ratio, "%.2f", two_rate / one_rate);
  bench::PrintRow("the same push spread over two instances on one PostgreSQL store", text, compared,
                  ratio, "-", true);
  std::snprintf(text, sizeof text, "%.0f records/s; first ICS rollup read %.1f s",
                on_postgres.records_per_second, on_postgres.first_read_seconds);
  std::snprintf(compared, sizeof compared, "SQLite: %.0f records/s; %.1f s",
                on_sqlite.records_per_second, on_sqlite.first_read_seconds);
  std::snprintf(ratio, sizeof ratio, "%.2f",
                on_postgres.records_per_second / on_sqlite.records_per_second);
  bench::PrintRow("national month in-process on PostgreSQL (" + std::to_string(o.practices) +
                      " practices, " + std::to_string(on_postgres.records) + " records)",
                  text, compared, ratio, "-", true);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = Parse(argc, argv);
  try {
    return Bench(o);  // its cluster and directory are removed on the way out
  } catch (const std::exception& e) {
    std::fprintf(stderr, "postgres_bench: %s\n", e.what());
    return 1;
  }
}
