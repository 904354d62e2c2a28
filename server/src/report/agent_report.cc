#include "report/agent_report.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "tributary/common/dates.h"
#include "tributary/common/terminal_text.h"

namespace tributary::server {
namespace {

std::string IsoTime(std::int64_t ms) { return ms > 0 ? FormatUtc(ms) : ""; }

}  // namespace

std::string Span(std::int64_t ms) {
  std::int64_t s = std::max<std::int64_t>(0, ms / 1000);
  char text[32];
  if (s >= 86400) {
    std::snprintf(text, sizeof text, "%lldd %lldh", static_cast<long long>(s / 86400),
                  static_cast<long long>(s % 86400 / 3600));
  } else if (s >= 3600) {
    std::snprintf(text, sizeof text, "%lldh %lldm", static_cast<long long>(s / 3600),
                  static_cast<long long>(s % 3600 / 60));
  } else if (s >= 60) {
    std::snprintf(text, sizeof text, "%lldm", static_cast<long long>(s / 60));
  } else {
    std::snprintf(text, sizeof text, "%llds", static_cast<long long>(s));
  }
  return text;
}

namespace {

std::uint64_t BehindBy(const AgentStatus& a) {
  return a.agent_last_seq > a.acknowledged_seq ? a.agent_last_seq - a.acknowledged_seq : 0;
}

std::int64_t DaysLeft(const AgentStatus& a, std::int64_t now_ms) {
  return (a.certificate_not_after_ms - now_ms) / (86'400'000);
}

}  // namespace

boost::json::array AgentsJson(const std::vector<AgentStatus>& agents, std::int64_t now_ms) {
  boost::json::array out;
  for (const AgentStatus& a : agents) {
    boost::json::object o;
    o["practice"] = a.practice;
    o["agent_id"] = a.agent_id;
    o["revoked"] = a.revoked;
    o["enrolled_at"] = IsoTime(a.enrolled_at_ms);
    o["last_seen"] = a.last_seen_ms > 0 ? boost::json::value(IsoTime(a.last_seen_ms)) : nullptr;
    o["offline_seconds"] =
        a.last_seen_ms > 0 ? boost::json::value((now_ms - a.last_seen_ms) / 1000) : nullptr;
    o["agent_version"] = a.agent_version;
    o["acknowledged_seq"] = a.acknowledged_seq;
    o["agent_last_seq"] = a.agent_last_seq;
    o["behind_by"] = BehindBy(a);
    o["queue_depth"] = a.queue_depth;
    o["store_bytes"] = a.store_bytes;
    o["clock_skew_ms"] = a.clock_skew_ms;
    o["certificate_not_after"] = IsoTime(a.certificate_not_after_ms);
    o["certificate_expiring"] = !a.revoked && DaysLeft(a, now_ms) < kCertificateWarningDays;
    o["last_error"] = a.last_error;
    o["imports_paused"] = a.imports_paused;
    out.push_back(std::move(o));
  }
  return out;
}

std::string AgentsTable(const std::vector<AgentStatus>& agents, std::int64_t now_ms) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-8s %-10s %-21s %-9s %9s %6s %-12s %s\n", "PRACTICE", "STATE",
                "LAST SEEN", "OFFLINE", "BEHIND BY", "SKEW", "CERT EXPIRES", "LAST ERROR");
  out += line;
  for (const AgentStatus& a : agents) {
    std::string state = a.revoked ? "revoked" : a.imports_paused ? "paused" : "enrolled";
    std::string cert =
        a.certificate_not_after_ms > 0
            ? std::to_string(DaysLeft(a, now_ms)) + "d" +
                  (!a.revoked && DaysLeft(a, now_ms) < kCertificateWarningDays ? " (renew!)" : "")
            : "";
    std::snprintf(line, sizeof line, "%-8s %-10s %-21s %-9s %9llu %5llds %-12s %s\n",
                  a.practice.c_str(), state.c_str(),
                  a.last_seen_ms > 0 ? IsoTime(a.last_seen_ms).c_str() : "never",
                  a.last_seen_ms > 0 ? Span(now_ms - a.last_seen_ms).c_str() : "-",
                  static_cast<unsigned long long>(BehindBy(a)),
                  static_cast<long long>(a.clock_skew_ms / 1000), cert.c_str(),
                  ForTerminal(a.last_error).c_str());
    out += line;
  }
  return out;
}

std::map<std::string, AgentStatus> CurrentAgents(const std::vector<AgentStatus>& agents) {
  std::map<std::string, AgentStatus> current;
  for (const AgentStatus& a : agents) {  // newest enrolment of each practice first
    auto it = current.find(a.practice);
    if (it == current.end() || (it->second.revoked && !a.revoked)) current[a.practice] = a;
  }
  return current;
}

boost::json::value AgentHealthJson(const AgentStatus* a, std::int64_t now_ms) {
  if (a == nullptr) return nullptr;
  boost::json::object o;
  o["last_seen"] = a->last_seen_ms > 0 ? boost::json::value(IsoTime(a->last_seen_ms)) : nullptr;
  o["offline_seconds"] =
      a->last_seen_ms > 0 ? boost::json::value((now_ms - a->last_seen_ms) / 1000) : nullptr;
  o["behind_by"] = BehindBy(*a);
  o["certificate_expires"] = a->certificate_not_after_ms > 0
                                 ? boost::json::value(IsoTime(a->certificate_not_after_ms))
                                 : nullptr;
  o["imports_paused"] = a->imports_paused;
  o["last_error"] = a->last_error;
  return o;
}

std::string AgentHealthNote(const AgentStatus* a, std::int64_t now_ms) {
  if (a == nullptr) return "no agent enrolled";
  if (a->revoked) return "agent revoked";
  std::string note;
  if (a->last_seen_ms <= 0) {
    note = "agent never seen";
  } else {
    std::int64_t offline_ms = now_ms - a->last_seen_ms;
    note = offline_ms >= 86'400'000 ? "agent offline " + std::to_string(offline_ms / 86'400'000) +
                                          (offline_ms / 86'400'000 == 1 ? " day" : " days")
                                    : "agent seen " + Span(offline_ms) + " ago";
  }
  if (a->imports_paused) note += ", imports paused";
  if (std::uint64_t behind = BehindBy(*a); behind > 0) {
    note += ", " + std::to_string(behind) + " changes not yet sent";
  }
  if (a->certificate_not_after_ms > 0 && DaysLeft(*a, now_ms) < kCertificateWarningDays) {
    note += ", certificate expires in " + std::to_string(DaysLeft(*a, now_ms)) + " days";
  }
  return note;
}

}  // namespace tributary::server
