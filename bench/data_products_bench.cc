// The ICS data teams' products at national scale: one month of 6,300
// practices (bench/national_month.h) in a store, then, through the router
// exactly as `serve` answers them (no sockets or TLS), an ICS analyst's
// GPAD and workforce exports of their ICS, and the whole change feed of
// their ICS read from the beginning in pages. Prints p50 and p99 of each
// export and the feed's rate.
//
//   data_products_bench [--practices 6300] [--appointment-rows 300] [--staff 30]
//                       [--exports 20] [--feed-limit 10000]
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "bench_options.h"
#include "enrol/enrolment_service.h"
#include "http/router.h"
#include "ingest/push_ingest.h"
#include "national_month.h"
#include "temp_dir.h"
#include "tributary/common/digest.h"
#include "tributary/common/pki.h"
#include "users/user_service.h"
#include "validation/findings_publisher.h"

using namespace tributary;
using namespace tributary::server;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Options {
  int practices = 6300;
  int appointment_rows = 300;
  int staff = 30;
  int exports = 20;
  int feed_limit = 10000;
};

Options Parse(int argc, char** argv) {
  Options o;
  bench::ParseOptions(argc, argv,
                      "usage: data_products_bench [--practices N] [--appointment-rows N] "
                      "[--staff N] [--exports N] [--feed-limit N]\n",
                      {{"--practices", &o.practices},
                       {"--appointment-rows", &o.appointment_rows},
                       {"--staff", &o.staff},
                       {"--exports", &o.exports},
                       {"--feed-limit", &o.feed_limit}});
  return o;
}

double Ms(SteadyClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

HttpResponse Get(Router& router, const std::string& target, const std::string& token) {
  HttpRequest r{"GET", target, {{"authorization", "Bearer " + token}}, "", std::nullopt, ""};
  HttpResponse response = router.Handle(r);
  if (response.status != 200) {
    std::fprintf(stderr, "%s: status %d %s\n", target.c_str(), response.status,
                 response.body.c_str());
    std::exit(1);
  }
  return response;
}

struct Timing {
  double p50 = 0, p99 = 0;
  std::size_t bytes = 0;
};

Timing Percentiles(std::vector<double> ms, std::size_t bytes) {
  std::sort(ms.begin(), ms.end());
  auto at = [&ms](double p) {
    return ms[std::min(ms.size() - 1,
                       static_cast<std::size_t>(p * static_cast<double>(ms.size())))];
  };
  return {at(0.5), at(0.99), bytes};
}

}  // namespace

int main(int argc, char** argv) {
  Options o = Parse(argc, argv);
  testing::TempDir dir;
  SystemClock clock;
  ServerStore store(dir.path() / "server.db", clock);
  bench::Nation nation = bench::MakeNation(o.practices);
  std::fprintf(stderr, "ingesting one month of %d practices...\n", o.practices);
  std::mt19937 rng(20261202);
  bench::IngestedMonth month =
      bench::IngestNationalMonth(store, nation, {o.staff, o.appointment_rows}, rng);

  pki::Authority ca = pki::CreateAuthority("bench CA", std::chrono::hours(24));
  EnrolmentService enrolment(store, ca, clock);
  PushIngest ingest(store);
  PersonKeyService person_keys(store, oprf::Key::Generate());
  FindingsPublisher findings(store);
  web::WebAssets assets;
  Router router(store, enrolment, ingest, person_keys, findings, assets);
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < nation.icss.size(); ++i) {
    std::string token = "analyst-" + std::to_string(i);
    UserService(store).Add({"u-" + token, token, Role::kIcsAnalyst, nation.icss[i]},
                           digest::Sha256Hex(token), "bench");
    tokens.push_back(token);
  }
  // The month's first reading re-totals it; the exports do not need that,
  // but the rollups an analyst compares them with do: take it out of the way.
  Get(router, "/v1/rollups?period=2026-08&level=ics", tokens.front());

  std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
  std::vector<double> gpad_ms, workforce_ms;
  std::size_t gpad_bytes = 0, workforce_bytes = 0;
  for (int i = 0; i < o.exports; ++i) {
    const std::string& token = tokens[pick(rng)];
    auto start = SteadyClock::now();
    HttpResponse gpad = Get(router, "/v1/exports/appointments?period=2026-08", token);
    gpad_ms.push_back(Ms(SteadyClock::now() - start));
    gpad_bytes = std::max(gpad_bytes, gpad.body.size());
    start = SteadyClock::now();
    HttpResponse workforce = Get(router, "/v1/exports/workforce?period=2026-08", token);
    workforce_ms.push_back(Ms(SteadyClock::now() - start));
    workforce_bytes = std::max(workforce_bytes, workforce.body.size());
  }
  Timing gpad = Percentiles(gpad_ms, gpad_bytes);
  Timing workforce = Percentiles(workforce_ms, workforce_bytes);

  // One ICS's whole feed from the beginning, in pages, as a new consumer
  // reads it: most of a national log is other ICSs' and is skipped.
  const std::string& token = tokens.front();
  std::string cursor = "0.0";
  std::size_t changes = 0, pages = 0, bytes = 0;
  std::vector<double> page_ms;
  auto start = SteadyClock::now();
  for (;;) {
    auto page_start = SteadyClock::now();
    HttpResponse page =
        Get(router, "/v1/feed?limit=" + std::to_string(o.feed_limit) + "&cursor=" + cursor, token);
    page_ms.push_back(Ms(SteadyClock::now() - page_start));
    boost::json::object body = boost::json::parse(page.body).as_object();
    changes += body.at("changes").as_array().size();
    bytes += page.body.size();
    ++pages;
    cursor = std::string(body.at("next_cursor").as_string());
    if (!body.at("more").as_bool()) break;
  }
  double feed_s = Ms(SteadyClock::now() - start) / 1000;
  Timing feed_page = Percentiles(page_ms, 0);

  std::fprintf(stderr,
               "%zu records ingested in %.1f s\n"
               "GPAD export, one ICS: p50 %.1f ms p99 %.1f ms (%zu bytes)\n"
               "workforce export, one ICS: p50 %.1f ms p99 %.1f ms (%zu bytes)\n"
               "feed, one ICS from the beginning: %zu changes in %zu pages, %.2f s (%.0f "
               "changes/s, %zu bytes); page p50 %.1f ms p99 %.1f ms\n",
               month.records, std::chrono::duration<double>(month.ingest_time).count(), gpad.p50,
               gpad.p99, gpad.bytes, workforce.p50, workforce.p99, workforce.bytes, changes, pages,
               feed_s, static_cast<double>(changes) / feed_s, bytes, feed_page.p50, feed_page.p99);
  std::printf(
      "| data products, %d practices' month: GPAD / workforce export of an ICS | p99 %.1f / "
      "%.1f ms (p50 %.1f / %.1f) | - | - | p99 <= 1 s | %s |\n",
      o.practices, gpad.p99, workforce.p99, gpad.p50, workforce.p50,
      std::max(gpad.p99, workforce.p99) <= 1000 ? "yes" : "no");
  std::printf(
      "| change feed, %d practices' month: one ICS from the beginning | %.0f changes/s, page "
      "p99 %.1f ms | - | - | page p99 <= 1 s | %s |\n",
      o.practices, static_cast<double>(changes) / feed_s, feed_page.p99,
      feed_page.p99 <= 1000 ? "yes" : "no");
  return 0;
}
