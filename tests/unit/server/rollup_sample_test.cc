// The fictional ICS of examples/ics-sample, loaded through the real import
// and ingest code, rolled up, and compared figure by figure with
// tests/reference/rollups.sql — SQL written apart from the rollup code.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>

#include "importer/csv_importer.h"
#include "ingest/push_ingest.h"
#include "orgs/org_file.h"
#include "rollup/measures.h"
#include "rollup/rollup_readings.h"
#include "rollup/rollup_service.h"
#include "sample_ics.h"
#include "schema2_store.h"
#include "store/server_store.h"
#include "store/settings.h"
#include "temp_dir.h"
#include "test_store.h"
#include "tributary/common/digest.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::server;

namespace {

std::string Key(const std::vector<std::string>& columns) {
  std::string key;
  for (const auto& c : columns) key += c + "|";
  return key;
}

struct Figure {
  double value;
  std::int64_t covered;
};

std::map<std::string, Figure> Reference(const std::filesystem::path& db_path) {
  auto db = sqlite::Database::Open(db_path);
  auto stmt = db.Prepare(
      files::Read(std::filesystem::path(TRIBUTARY_SOURCE_DIR) / "tests/reference/rollups.sql"));
  std::map<std::string, Figure> figures;
  while (stmt.Step()) {
    std::vector<std::string> columns;
    for (int i = 0; i < 11; ++i) columns.push_back(stmt.ColumnText(i));
    auto [it, inserted] =
        figures.emplace(Key(columns), Figure{stmt.ColumnDouble(11), stmt.ColumnInt(12)});
    INFO(it->first);
    REQUIRE(inserted);
  }
  return figures;
}

std::map<std::string, Figure> Computed(ServerStore& store) {
  std::map<std::string, Figure> figures;
  for (const RollupRow& r : QueryRollups(store, {})) {
    auto [it, inserted] = figures.emplace(
        Key({r.level, r.code, r.period, r.dataset, r.measure, r.staff_group, r.staff_role,
             r.hcp_type, r.appt_mode, r.appt_status, r.booking_interval}),
        Figure{r.value, r.practices_covered});
    INFO(it->first);
    REQUIRE(inserted);
  }
  return figures;
}

}  // namespace

// The reference is SQLite's SQL (its JSON functions): the engine is the same C++ on
// either store, and the PostgreSQL run checks its figures against SQLite's
// in "rollups: the same figures on PostgreSQL" (store_engines_test.cc).
TEST_CASE("rollups: on the sample ICS every figure equals an independent SQL computation",
          "[sqlite]") {
  testing::TempDir dir;
  FakeClock clock{1'790'000'000'000};
  ServerStore store(tributary::testing::TestStore(dir), clock);
  LoadSample(store, clock);
  ProgressReturns(store);

  std::map<std::string, Figure> computed = Computed(store);
  std::map<std::string, Figure> reference = Reference(dir.path() / "server.db");
  REQUIRE(reference.size() > 10'000);  // 60 practices x 3 months x every breakdown
  std::size_t differences = 0;
  for (const auto& [key, ref] : reference) {
    auto it = computed.find(key);
    INFO(key << " reference " << ref.value << " covering " << ref.covered);
    if (it == computed.end()) {
      ++differences;
      FAIL_CHECK("missing from the rollups");
      continue;
    }
    bool same =
        std::fabs(it->second.value - ref.value) <= 1e-9 * std::max(1.0, std::fabs(ref.value)) &&
        it->second.covered == ref.covered;
    if (!same) {
      ++differences;
      FAIL_CHECK("rollup " << it->second.value << " covering " << it->second.covered);
    }
  }
  for (const auto& [key, figure] : computed) {
    if (reference.count(key) == 0) {
      ++differences;
      FAIL_CHECK(key << " is in the rollups but not the reference");
    }
  }
  CHECK(differences == 0);
  CHECK(computed.size() == reference.size());

  // The engine gives exactly the measures the data dictionary declares.
  std::set<std::pair<std::string, std::string>> given, declared;
  for (const RollupRow& r : QueryRollups(store, {})) given.insert({r.dataset, r.measure});
  for (const MeasureDecl& m : Measures())
    declared.insert({std::string(m.dataset), std::string(m.name)});
  CHECK(given == declared);
}

TEST_CASE(
    "rollups: the totals kept at ingest equal a recomputation, and verify finds drift, on the "
    "sample ICS") {
  testing::TempDir dir;
  FakeClock clock{1'790'000'000'000};
  ServerStore store(tributary::testing::TestStore(dir), clock);
  LoadSample(store, clock);
  CHECK(RollupReadings(store).Differences().empty());
  {
    auto db = tributary::testing::OpenTestStore(dir);
    // One byte changed: the last, the practice's count in its appointment rate.
    db->Exec(db->engine() == db::Engine::kSqlite
                 ? "UPDATE rollup_practice_months "
                   "SET totals = CAST(substr(totals, 1, length(totals) - 1) || X'07' AS BLOB) "
                   "WHERE practice = 'T01100' AND period = '2026-08'"
                 : "UPDATE rollup_practice_months "
                   "SET totals = substr(totals, 1, length(totals) - 1) || '\\x07'::bytea "
                   "WHERE practice = 'T01100' AND period = '2026-08'");
    db->Exec("DELETE FROM rollup_practice_months WHERE practice = 'T01113' AND period = '2026-09'");
    db->Exec(
        "UPDATE rollup_practice_months SET appointments_per_thousand = 1 "
        "WHERE practice = 'T01126' AND period = '2026-08'");
  }
  CHECK(RollupReadings(store).Differences() ==
        std::vector<std::string>{"T01100 2026-08: rollup totals differ from the records",
                                 "T01113 2026-09: missing from the rollups",
                                 "T01126 2026-08: rollup totals differ from the records"});
}

TEST_CASE(
    "rollups: unreadable kept totals fail the reading with their practice-month, on the sample "
    "ICS") {
  testing::TempDir dir;
  FakeClock clock{1'790'000'000'000};
  ServerStore store(tributary::testing::TestStore(dir), clock);
  LoadSample(store, clock);
  REQUIRE(RollupReadings(store).Differences().empty());  // every month totalled
  {
    auto db = tributary::testing::OpenTestStore(dir);
    db->Exec(
        "UPDATE rollup_practice_months SET totals = substr(totals, 1, 20) "
        "WHERE practice = 'T01113' AND period = '2026-08'");
  }
  RollupQuery query;
  query.period = "2026-08";
  CHECK_THROWS_WITH(QueryRollups(store, query),
                    Catch::Contains("rollup totals of T01113 2026-08 cannot be read") &&
                        Catch::Contains("stored rollup totals: "));
  CHECK(RollupReadings(store).Differences() ==
        std::vector<std::string>{"T01113 2026-08: rollup totals differ from the records"});
}

TEST_CASE("rollups: a store of schema 2 converts its kept totals, same rollups, on the sample ICS",
          "[sqlite]") {
  testing::TempDir dir;
  FakeClock clock{1'790'000'000'000};
  RollupQuery everything;  // every month, every organisation
  std::vector<RollupRow> before;
  {
    ServerStore store(tributary::testing::TestStore(dir), clock);
    LoadSample(store, clock);
    before = QueryRollups(store, everything);
  }
  {
    auto db = sqlite::Database::Open(dir.path() / "server.db");
    DowngradeKeptTotalsToSchema2(db);
    auto text =
        db.Prepare("SELECT count(*) FROM rollup_practice_months WHERE typeof(totals) = 'text'");
    REQUIRE(text.Step());
    REQUIRE(text.ColumnInt(0) > 100);
  }
  ServerStore store(tributary::testing::TestStore(dir), clock);
  CHECK(Settings(store).Get("schema_version") == "8");
  CHECK(RollupReadings(store).Differences() == std::vector<std::string>{});
  CHECK(RollupsCsv(QueryRollups(store, everything)) == RollupsCsv(before));
  auto db = sqlite::Database::Open(dir.path() / "server.db");
  auto kinds = db.Prepare("SELECT DISTINCT typeof(totals) FROM rollup_practice_months");
  REQUIRE(kinds.Step());
  CHECK(kinds.ColumnText(0) == "blob");
  CHECK_FALSE(kinds.Step());
}
