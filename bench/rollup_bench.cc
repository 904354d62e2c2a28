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

#include "ingest/push_ingest.h"
#include "rollup/rollup_service.h"
#include "store/server_store.h"
#include "temp_dir.h"
#include "tributary/common/code_lists.h"
#include "tributary/common/digest.h"

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
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    int* target = flag == "--practices"          ? &o.practices
                  : flag == "--appointment-rows" ? &o.appointment_rows
                  : flag == "--staff"            ? &o.staff
                  : flag == "--queries"          ? &o.queries
                                                 : nullptr;
    if (target == nullptr || i + 1 >= argc) {
      std::fprintf(stderr, "rollup_bench: unknown or incomplete option '%s'\n%s", flag.c_str(),
                   kUsage);
      std::exit(2);
    }
    try {
      *target = std::stoi(argv[i + 1]);
    } catch (const std::exception&) {
      *target = 0;
    }
    if (*target <= 0) {
      std::fprintf(stderr, "rollup_bench: %s needs a positive number\n", flag.c_str());
      std::exit(2);
    }
  }
  return o;
}

// `n` zero-padded to `width` digits.
std::string Digits(int n, int width) {
  std::string text = std::to_string(n);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(text.size()))),
                     '0') +
         text;
}

std::string PlaceCode(int n) {  // 3 upper-case alphanumerics: "P00".."Z99"
  return std::string(1, static_cast<char>('P' + n / 100)) + Digits(n % 100, 2);
}

std::string IcsCode(int n) {  // "Q" + 2: "QA0".."QZ9"
  return "Q" + std::string(1, static_cast<char>('A' + n / 10)) + Digits(n % 10, 1);
}

struct Nation {
  std::vector<Organisation> organisations;
  std::vector<std::string> practices, pcns, places, icss;
};

// England's shape: 42 ICSs, 106 places, five practices to a PCN.
Nation MakeNation(int practice_count) {
  Nation n;
  auto add = [&n](std::string code, OrgLevel level, std::string parent) {
    n.organisations.push_back({code, code + " name", level, parent, "2026-01-01", ""});
  };
  // A smaller run keeps the shape: no place or ICS without practices.
  int pcn_count = (practice_count + 4) / 5;
  int place_count = std::min(106, pcn_count);
  int ics_count = std::min(42, place_count);
  for (int i = 0; i < ics_count; ++i) {
    n.icss.push_back(IcsCode(i));
    add(n.icss.back(), OrgLevel::kIcs, "");
  }
  for (int i = 0; i < place_count; ++i) {
    n.places.push_back(PlaceCode(i));
    add(n.places.back(), OrgLevel::kPlace, n.icss[static_cast<std::size_t>(i % ics_count)]);
  }
  for (int i = 0; i < pcn_count; ++i) {
    n.pcns.push_back("U" + Digits(i + 1, 5));
    add(n.pcns.back(), OrgLevel::kPcn, n.places[static_cast<std::size_t>(i % place_count)]);
  }
  for (int i = 0; i < practice_count; ++i) {
    n.practices.push_back("B" + Digits(i + 1, 5));
    add(n.practices.back(), OrgLevel::kPractice, n.pcns[static_cast<std::size_t>(i / 5)]);
  }
  return n;
}

protocol::Change MakeChange(std::uint64_t seq, const DatasetDecl& dataset, FieldMap fields) {
  protocol::Change c;
  c.seq = seq;
  c.dataset = std::string(dataset.name);
  c.key = RecordKey(dataset, fields);
  c.fields = std::move(fields);
  c.version = seq;
  return c;
}

// One practice's month: a list size, staff (one in ten shared with the next
// practice, as PCN staff are) and appointment rows.
protocol::PushBatch OneMonth(const std::string& practice, const std::string& neighbour,
                             const Options& o, std::mt19937& rng) {
  protocol::PushBatch b;
  b.practice = practice;
  std::uint64_t seq = 0;
  std::uniform_int_distribution<int> list(4000, 16000), count(0, 20), hours(8, 40);
  b.changes.push_back(MakeChange(++seq, datasets::ListSize(),
                                 {{"extract_date", "2026-08-01"},
                                  {"practice", practice},
                                  {"patients", std::to_string(list(rng))}}));
  for (int s = 0; s < o.staff; ++s) {
    std::string person =
        s % 10 == 0 ? neighbour + "-" + std::to_string(s) : practice + "-" + std::to_string(s);
    int h = hours(rng);
    b.changes.push_back(MakeChange(++seq, datasets::Workforce(),
                                   {{"practice", practice},
                                    {"period", "2026-08"},
                                    {"person_key", digest::Sha256Hex(person)},
                                    {"staff_group", "Direct Patient Care"},
                                    {"staff_role", "Clinical Pharmacist"},
                                    {"contracted_hours", std::to_string(h)},
                                    {"fte", FteFromHours(static_cast<double>(h))},
                                    {"employer_type", "PRACTICE"},
                                    {"employer_code", practice},
                                    {"funding", s % 3 == 0 ? "ARRS" : "PRACTICE"},
                                    {"start_date", "2020-01-01"}}));
  }
  const auto& hcp = codes::HcpType().values;
  const auto& mode = codes::AppointmentMode().values;
  const auto& status = codes::AppointmentStatus().values;
  const auto& interval = codes::BookingInterval().values;
  int made = 0;
  for (int day = 1; day <= 31 && made < o.appointment_rows; ++day) {
    for (std::size_t i = 0; i < hcp.size() * mode.size() * status.size() * interval.size() &&
                            made < o.appointment_rows;
         ++i, ++made) {
      std::size_t k = i;
      std::string h(hcp[k % hcp.size()]);
      k /= hcp.size();
      std::string m(mode[k % mode.size()]);
      k /= mode.size();
      std::string st(status[k % status.size()]);
      k /= status.size();
      std::string iv(interval[k % interval.size()]);
      b.changes.push_back(MakeChange(++seq, datasets::Appointments(),
                                     {{"appointment_date", "2026-08-" + Digits(day, 2)},
                                      {"practice", practice},
                                      {"hcp_type", h},
                                      {"appt_mode", m},
                                      {"appt_status", st},
                                      {"booking_interval", iv},
                                      {"national_category", "General Consultation Routine"},
                                      {"count", std::to_string(count(rng))}}));
    }
  }
  b.from_seq = 1;
  b.to_seq = seq;
  return b;
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
  PushIngest ingest(store);
  Nation nation = MakeNation(o.practices);
  store.ReplaceOrganisations(nation.organisations, "bench");

  std::fprintf(stderr, "ingesting one month of %d practices...\n", o.practices);
  std::mt19937 rng(20261125);
  std::size_t records = 0;
  SteadyClock::duration ingest_time{};
  for (std::size_t i = 0; i < nation.practices.size(); ++i) {
    const std::string& practice = nation.practices[i];
    store.AddToken("t" + practice, practice, clock.NowMillis() + 3'600'000);
    store.EnrolWithToken("t" + practice, [&](const std::string&) {
      return IssuedIdentity{"a" + practice, "s" + practice, 0};
    });
    AgentIdentity agent = *store.FindAgentByCertificate("s" + practice);
    protocol::PushBatch batch =
        OneMonth(practice, nation.practices[(i + 1) % nation.practices.size()], o, rng);
    records += batch.changes.size();
    auto start = SteadyClock::now();
    IngestResult result = ingest.Ingest(agent, batch);
    ingest_time += SteadyClock::now() - start;
    if (result.reply.accepted != batch.changes.size()) {
      std::fprintf(stderr, "%s: only %llu of %zu accepted\n", practice.c_str(),
                   static_cast<unsigned long long>(result.reply.accepted), batch.changes.size());
      return 1;
    }
  }
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
  if (!store.RollupDifferences().empty()) {
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
