// The web pages' server time at national scale: one month of 6,300
// practices (bench/national_month.h) in a store, then the pages a PCN
// manager and an ICS manager open most, rendered through the router exactly
// as `serve` answers them (no sockets or TLS): the returns roster of a PCN,
// the roster of an ICS, and the ICS rollup page (headlines, drill-down, trend
// charts and every breakdown). Prints p50 and p99 of each.
//
//   web_bench [--practices 6300] [--appointment-rows 300] [--staff 30] [--pages 100]
#include <algorithm>
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
  int pages = 100;
};

Options Parse(int argc, char** argv) {
  Options o;
  bench::ParseOptions(argc, argv,
                      "usage: web_bench [--practices N] [--appointment-rows N] [--staff N] "
                      "[--pages N]\n",
                      {{"--practices", &o.practices},
                       {"--appointment-rows", &o.appointment_rows},
                       {"--staff", &o.staff},
                       {"--pages", &o.pages}});
  return o;
}

// A signed-in browser: the session cookie of `token`'s person.
std::string SignIn(Router& router, const std::string& token) {
  HttpRequest get{"GET", "/login", {}, "", std::nullopt, ""};
  HttpResponse login = router.Handle(get);
  std::string csrf;
  for (const auto& [name, value] : login.headers) {
    if (name == "Set-Cookie" && value.rfind("tributary_login=", 0) == 0) {
      csrf = value.substr(16, value.find(';') - 16);
    }
  }
  HttpRequest post{"POST",
                   "/login",
                   {{"cookie", "tributary_login=" + csrf}},
                   "csrf_token=" + csrf + "&token=" + token,
                   std::nullopt,
                   ""};
  HttpResponse in = router.Handle(post);
  for (const auto& [name, value] : in.headers) {
    if (name == "Set-Cookie" && value.rfind("tributary_session=", 0) == 0) {
      return value.substr(0, value.find(';'));
    }
  }
  std::fprintf(stderr, "signing in failed: %d\n", in.status);
  std::exit(1);
}

struct Timing {
  double p50 = 0;
  double p99 = 0;
  std::size_t bytes = 0;
};

// Renders `pages` pages, each `target(i)` for the person of `cookie(i)`.
template <typename Target, typename Cookie>
Timing Measure(Router& router, int pages, Target target, Cookie cookie) {
  std::vector<double> ms;
  std::size_t bytes = 0;
  for (int i = 0; i < pages; ++i) {
    HttpRequest r{"GET", target(i), {{"cookie", cookie(i)}}, "", std::nullopt, ""};
    auto start = SteadyClock::now();
    HttpResponse page = router.Handle(r);
    ms.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count());
    if (page.status != 200) {
      std::fprintf(stderr, "%s: status %d\n", r.target.c_str(), page.status);
      std::exit(1);
    }
    bytes = std::max(bytes, page.body.size());
  }
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
  std::mt19937 rng(20261128);
  bench::IngestNationalMonth(store, nation, {o.staff, o.appointment_rows}, rng);

  pki::Authority ca = pki::CreateAuthority("bench CA", std::chrono::hours(24));
  EnrolmentService enrolment(store, ca, clock);
  PushIngest ingest(store);
  PersonKeyService person_keys(store, oprf::Key::Generate());
  FindingsPublisher findings(store);
  web::WebAssets assets;
  Router router(store, enrolment, ingest, person_keys, findings, assets);

  // One PCN manager per PCN sampled and one ICS manager per ICS.
  std::uniform_int_distribution<std::size_t> pick_pcn(0, nation.pcns.size() - 1);
  std::vector<std::string> pcns, pcn_cookies, ics_cookies;
  for (int i = 0; i < std::min<int>(20, static_cast<int>(nation.pcns.size())); ++i) {
    std::string pcn = nation.pcns[pick_pcn(rng)];
    std::string token = "pcn-" + std::to_string(i);
    UserService(store).Add({"u-" + token, token, Role::kPcnManager, pcn}, digest::Sha256Hex(token),
                           "bench");
    pcns.push_back(pcn);
    pcn_cookies.push_back(SignIn(router, token));
  }
  for (std::size_t i = 0; i < nation.icss.size(); ++i) {
    std::string token = "ics-" + std::to_string(i);
    UserService(store).Add({"u-" + token, token, Role::kIcsManager, nation.icss[i]},
                           digest::Sha256Hex(token), "bench");
    ics_cookies.push_back(SignIn(router, token));
  }
  // The month's first read re-totals every practice-month and computes its
  // cross-practice findings (validation/findings_cache.h); the pages are
  // measured after it, as people meet them on a working day.
  std::fprintf(stderr, "first read of the month...\n");
  auto first = SteadyClock::now();
  Measure(
      router, 1, [](int) { return std::string("/rollups?period=2026-08"); },
      [&](int) { return ics_cookies.front(); });
  Measure(
      router, 1, [](int) { return std::string("/returns?period=2026-08"); },
      [&](int) { return pcn_cookies.front(); });
  double first_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - first).count();

  std::uniform_int_distribution<std::size_t> pick_ics(0, ics_cookies.size() - 1);
  std::vector<std::size_t> ics_order(static_cast<std::size_t>(o.pages));
  for (auto& i : ics_order) i = pick_ics(rng);
  auto pcn_cookie = [&](int i) {
    return pcn_cookies[static_cast<std::size_t>(i) % pcn_cookies.size()];
  };
  auto ics_cookie = [&](int i) { return ics_cookies[ics_order[static_cast<std::size_t>(i)]]; };
  Timing pcn_roster = Measure(
      router, o.pages, [](int) { return std::string("/returns?period=2026-08"); }, pcn_cookie);
  Timing ics_roster = Measure(
      router, o.pages, [](int) { return std::string("/returns?period=2026-08"); }, ics_cookie);
  Timing ics_rollups = Measure(
      router, o.pages, [](int) { return std::string("/rollups?period=2026-08"); }, ics_cookie);

  std::fprintf(stderr,
               "first read of the month (totals and findings) %.0f ms\nroster, PCN: p50 %.1f ms "
               "p99 %.1f ms (%zu bytes)\n"
               "roster, ICS: p50 %.1f ms p99 %.1f ms (%zu bytes)\nrollups, ICS: p50 %.1f ms p99 "
               "%.1f ms (%zu bytes)\n",
               first_ms, pcn_roster.p50, pcn_roster.p99, pcn_roster.bytes, ics_roster.p50,
               ics_roster.p99, ics_roster.bytes, ics_rollups.p50, ics_rollups.p99,
               ics_rollups.bytes);
  double worst = std::max({pcn_roster.p99, ics_roster.p99, ics_rollups.p99});
  std::printf(
      "| page render, %d practices' month: roster PCN / roster ICS / ICS rollups | p99 %.1f / "
      "%.1f / %.1f ms (p50 %.1f / %.1f / %.1f) | - | - | p99 <= 50 ms | %s |\n",
      o.practices, pcn_roster.p99, ics_roster.p99, ics_rollups.p99, pcn_roster.p50, ics_roster.p50,
      ics_rollups.p50, worst <= 50 ? "yes" : "no");
  return 0;
}
