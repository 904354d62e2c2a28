#include <boost/json.hpp>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "cli/agent_commands.h"
#include "sync/certificate_renewal.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/dates.h"
#include "tributary/common/terminal_text.h"

namespace tributary::agent {

int RunStatus(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir", "json"});
  LocalStore& store = context.store();
  std::string practice = store.GetState("practice").value_or("");
  std::uint64_t pending = store.PendingCount();
  std::uint64_t acknowledged = store.AcknowledgedSeq();
  std::string last_sync = store.GetState("last_sync").value_or("");
  std::string last_error = store.GetState("last_error").value_or("");
  auto findings = store.Findings(50);
  auto returns = store.ServerReturns();
  auto return_findings = store.ReturnFindings();
  std::vector<std::string> closed_periods = store.ClosedPeriods();
  std::string today = FormatUtc(context.clock().NowMillis(), UtcFormat::kIsoDate);
  std::optional<FieldMap> hierarchy = store.HierarchyOn(today);
  auto counts = store.RecordCounts();
  std::string imports_paused = store.GetState("imports_paused").value_or("");
  LocalStore::KeyWait key_wait = store.AwaitingKeys();
  std::string keys_deferred = store.GetState("person_keys_deferred").value_or("");
  std::string certificate_expires;
  if (std::filesystem::exists(context.paths().Certificate())) {
    FinishRenewal(context.paths());
    certificate_expires = FormatUtc(CertificateNotAfterMs(context.paths()));
  }

  if (args.Has("json")) {
    boost::json::object o;
    o["practice"] = practice;
    o["server"] = store.GetState("server_url").value_or("");
    o["pending_changes"] = pending;
    o["last_seq"] = store.LastSeq();
    o["acknowledged_seq"] = acknowledged;
    o["last_sync"] =
        last_sync.empty() ? boost::json::value(nullptr) : boost::json::value(last_sync);
    o["last_error"] =
        last_error.empty() ? boost::json::value(nullptr) : boost::json::value(last_error);
    o["imports_paused"] =
        imports_paused.empty() ? boost::json::value(nullptr) : boost::json::value(imports_paused);
    o["certificate_expires"] = certificate_expires.empty()
                                   ? boost::json::value(nullptr)
                                   : boost::json::value(certificate_expires);
    o["awaiting_person_keys"] = {
        {"people", key_wait.people},
        {"records", key_wait.records},
        {"since",
         key_wait.since.empty() ? boost::json::value(nullptr) : boost::json::value(key_wait.since)},
        {"deferred", keys_deferred.empty() || key_wait.records == 0
                         ? boost::json::value(nullptr)
                         : boost::json::value(keys_deferred)}};
    boost::json::array records;
    for (const auto& c : counts) {
      records.push_back({{"dataset", c.dataset}, {"period", c.period}, {"records", c.records}});
    }
    o["records"] = std::move(records);
    boost::json::array server_findings;
    for (const auto& f : findings) {
      server_findings.push_back({{"seq", f.seq}, {"outcome", f.outcome}, {"detail", f.detail}});
    }
    o["findings"] = std::move(server_findings);
    boost::json::array return_states;
    for (const auto& r : returns) {
      return_states.push_back({{"dataset", r.dataset},
                               {"period", r.period},
                               {"state", r.state},
                               {"revision", r.revision},
                               {"comment", r.comment}});
    }
    o["returns"] = std::move(return_states);
    boost::json::array across;
    for (const auto& f : return_findings) {
      across.push_back({{"dataset", f.dataset}, {"period", f.period}, {"finding", f.finding}});
    }
    o["cross_practice_findings"] = std::move(across);
    boost::json::array closed;
    for (const std::string& period : closed_periods) closed.push_back(boost::json::value(period));
    o["closed_periods"] = std::move(closed);
    if (hierarchy) {
      boost::json::object h;
      for (const auto& [name, value] : *hierarchy) h[name] = value;
      o["hierarchy"] = std::move(h);
    } else {
      o["hierarchy"] = nullptr;
    }
    std::cout << boost::json::serialize(o) << "\n";
    return kExitOk;
  }
  std::printf("practice:          %s\n", practice.empty() ? "(not enrolled)" : practice.c_str());
  std::printf("pending changes:   %llu\n", static_cast<unsigned long long>(pending));
  std::printf("server has up to:  seq %llu\n", static_cast<unsigned long long>(acknowledged));
  std::printf("last sync:         %s\n", last_sync.empty() ? "never" : last_sync.c_str());
  std::printf("last error:        %s\n",
              last_error.empty() ? "none" : ForTerminal(last_error).c_str());
  if (!imports_paused.empty()) std::printf("IMPORTS PAUSED:    %s\n", imports_paused.c_str());
  if (key_wait.records > 0) {
    std::printf(
        "awaiting keys:     %zu %s and %zu %s since %s (new to this practice: sent\n"
        "                   once the next sync has the server make their person keys)\n",
        key_wait.people, key_wait.people == 1 ? "person" : "people", key_wait.records,
        key_wait.records == 1 ? "record" : "records",
        key_wait.since.empty() ? "-" : key_wait.since.c_str());
    if (!keys_deferred.empty()) {
      std::printf("                   last asked: %s\n", ForTerminal(keys_deferred).c_str());
    }
  }
  if (!certificate_expires.empty()) {
    std::printf("certificate until: %s (renewed automatically)\n", certificate_expires.c_str());
  }
  if (hierarchy) {
    std::printf("part of:           %s %s, %s %s, %s\n", ForTerminal((*hierarchy)["pcn"]).c_str(),
                ForTerminal((*hierarchy)["pcn_name"]).c_str(),
                ForTerminal((*hierarchy)["place"]).c_str(),
                ForTerminal((*hierarchy)["place_name"]).c_str(),
                ForTerminal((*hierarchy)["ics_name"]).c_str());
  }
  if (!returns.empty()) {
    std::printf("returns (as the server last said):\n");
    for (const auto& r : returns) {
      std::printf("  %-14s %s  %-9s rev %lld%s%s\n", r.dataset.c_str(), r.period.c_str(),
                  r.state.c_str(), static_cast<long long>(r.revision),
                  r.comment.empty() ? "" : "  query: ", ForTerminal(r.comment).c_str());
    }
  }
  if (!closed_periods.empty()) {
    std::string months;
    for (const std::string& period : closed_periods)
      months += (months.empty() ? "" : ", ") + period;
    std::printf(
        "months closed:     %s (the ICS closed them: the server keeps changes to them\n"
        "                   but does not apply them; ask your PCN manager)\n",
        months.c_str());
  }
  if (!return_findings.empty()) {
    std::printf("findings across practices (from the server):\n");
    for (const auto& f : return_findings) {
      std::printf("  %-14s %s  %s\n", f.dataset.c_str(), f.period.c_str(),
                  ForTerminal(f.finding).c_str());
    }
  }
  if (!counts.empty()) {
    std::printf("records held:\n");
    for (const auto& c : counts) {
      std::printf("  %-14s %s  %lld\n", c.dataset.c_str(), c.period.c_str(),
                  static_cast<long long>(c.records));
    }
  }
  if (!findings.empty()) {
    std::printf("server findings (latest first):\n");
    for (const auto& f : findings) {
      std::printf("  seq %llu %s: %s\n", static_cast<unsigned long long>(f.seq), f.outcome.c_str(),
                  ForTerminal(f.detail).c_str());
    }
  }
  return kExitOk;
}

}  // namespace tributary::agent
