#include "agent_load.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "bench_cluster.h"
#include "child_process.h"
#include "tributary/common/code_lists.h"

namespace tributary::bench {
namespace {

using Clock = std::chrono::steady_clock;

// What one `tributary-agent sync` reported of its traffic:
// "...; N request(s), S bytes sent, R received".
Traffic ParseTraffic(const std::string& out) {
  Traffic t;
  auto at = out.rfind("; ");
  unsigned long long requests = 0, sent = 0, received = 0;
  if (at == std::string::npos ||
      std::sscanf(out.c_str() + at, "; %llu request(s), %llu bytes sent, %llu received", &requests,
                  &sent, &received) != 3) {
    std::fprintf(stderr, "bench: cannot read the traffic from: %s\n", out.c_str());
    std::exit(1);
  }
  t.requests = static_cast<double>(requests);
  t.bytes = static_cast<double>(sent + received);
  return t;
}

Traffic operator+(Traffic a, const Traffic& b) {
  return {a.requests + b.requests, a.bytes + b.bytes};
}

}  // namespace

std::string PracticeCode(int i) {
  char code[16];
  std::snprintf(code, sizeof code, "B%05d", i + 1);
  return code;
}

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
    for (auto h : hcp)
      for (auto m : mode)
        for (auto s : status)
          for (auto i : interval)
            for (auto c : category) {
              if (made == count) break;
              std::string value = std::to_string(n(rng));
              csv += std::string(date) + "," + practice + "," + std::string(h) + "," +
                     std::string(m) + "," + std::string(s) + "," + std::string(i) + "," +
                     std::string(c) + "," + value + "\n";
              if (rows) {
                rows->push_back({{"appointment_date", date},
                                 {"practice", practice},
                                 {"hcp_type", std::string(h)},
                                 {"appt_mode", std::string(m)},
                                 {"appt_status", std::string(s)},
                                 {"booking_interval", std::string(i)},
                                 {"national_category", std::string(c)},
                                 {"count", value}});
              }
              ++made;
            }
  }
  return csv;
}

std::pair<double, Traffic> SyncAll(const std::vector<std::string>& agent_dirs) {
  auto start = Clock::now();
  std::vector<std::unique_ptr<testing::ChildProcess>> syncs;
  for (const auto& agent_dir : agent_dirs) {
    // The agent AgentCommand names (TRIBUTARY_BENCH_AGENT_BIN, else this build's).
    syncs.push_back(std::make_unique<testing::ChildProcess>(AgentCommand(agent_dir, {"sync"}),
                                                            agent_dir + ".sync.log"));
  }
  Traffic total;
  for (auto& s : syncs) {
    total = total + ParseTraffic(s->WaitForLineContaining("synced:", std::chrono::seconds(1800)));
    if (s->Wait(std::chrono::seconds(60)) != 0) {
      std::fprintf(stderr, "bench: an agent failed to sync\n");
      std::exit(1);
    }
  }
  return {std::chrono::duration<double>(Clock::now() - start).count(), total};
}

}  // namespace tributary::bench
