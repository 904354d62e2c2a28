#include "web/roster_page.h"

#include <map>

#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "users/user.h"
#include "web/agent_health.h"
#include "web/components.h"
#include "web/html.h"
#include "web/json_fields.h"
#include "web/page_frame.h"

namespace tributary::server::web {
namespace {

namespace json = boost::json;

const std::vector<std::pair<std::string, std::string>> kStateFilter = {
    {"", "All states"},     {"open", "Open"},         {"submitted", "Submitted"},
    {"queried", "Queried"}, {"approved", "Approved"}, {"locked", "Locked"}};

}  // namespace

std::string MonthShown(const std::string& requested, PageReadings& readings, std::int64_t now_ms) {
  if (!requested.empty()) return requested;
  std::vector<std::string> months = readings.records.Periods();
  if (!months.empty()) return months.back();
  return FormatUtc(now_ms).substr(0, 7);
}

std::string OrgName(PageReadings& readings, const std::string& code, const std::string& period) {
  return readings.orgs.NameOf(code, period);
}

HttpResponse RosterPage(const WebRequest& request, const ApiClient& api, PageReadings& readings) {
  std::string period = MonthShown(request.Query("period"), readings, request.now_ms);
  std::string code = request.Query("code").empty() ? api.user().scope : request.Query("code");
  std::string state = request.Query("state");
  bool known_state = false;
  for (const auto& [value, text] : kStateFilter) known_state |= value == state;
  if (!known_state) {
    throw Error::InvalidArgument("state must be open, submitted, queried, approved or locked");
  }
  json::value answer =
      api.Get("/v1/returns?code=" + UrlEncode(code) + "&period=" + UrlEncode(period));
  period = TextOf(answer.as_object(), "period");
  const json::array& returns = answer.as_object().at("returns").as_array();

  std::map<std::string, int> by_state;
  Table table;
  table.id = "returns";
  table.caption = "Returns for " + period;
  table.headers = {"Practice", "Dataset", "State", "Revision", "Findings", "Changed since approval",
                   "Agent"};
  table.numeric = {false, false, false, true, false, true, false};
  std::int64_t now = request.now_ms;
  for (const json::value& item : returns) {
    const json::object& r = item.as_object();
    std::string row_state = TextOf(r, "state");
    ++by_state[row_state];
    if (!state.empty() && row_state != state) continue;
    std::string practice = TextOf(r, "practice");
    std::string dataset = TextOf(r, "dataset");
    std::string href =
        "/returns/" + UrlEncode(practice) + "/" + UrlEncode(dataset) + "/" + UrlEncode(period);
    std::string findings;
    const json::array& reasons = r.at("findings").as_array();
    if (reasons.empty()) {
      findings = "None";
    } else {
      findings = "<ul class=\"nhsuk-list nhsuk-body-s\">";
      for (const json::value& reason : reasons) {
        findings += "<li>" + Escape(std::string(reason.as_string())) + "</li>";
      }
      findings += "</ul>";
    }
    table.rows.push_back({Link(OrgName(readings, practice, period), href), Escape(dataset),
                          StateTag(row_state), std::to_string(r.at("revision").as_int64()),
                          findings, Figure(r.at("changes_since_approval").to_number<double>()),
                          AgentHealthHtml(r.at("agent"), now)});
  }

  std::string body = Heading("Returns", OrgName(readings, code, period) + ", " + period);
  if (std::string n = request.Query("approved");
      !n.empty() && n.find_first_not_of("0123456789") == std::string::npos) {
    body += Banner(request.Query("approved") + " returns approved", "", true);
  }
  int approved = by_state["approved"] + by_state["locked"];
  body += SummaryList({{"Expected", Figure(static_cast<double>(returns.size()))},
                       {"Submitted, waiting for approval", Figure(by_state["submitted"])},
                       {"Queried", Figure(by_state["queried"])},
                       {"Approved", Figure(approved)},
                       {"Not yet submitted", Figure(by_state["open"])}});
  if (CanActOnReturns(api.user().role) && by_state["submitted"] > 0) {
    body += ButtonLink("Approve all submitted", "/returns/approve-all?code=" + UrlEncode(code) +
                                                    "&period=" + UrlEncode(period));
  }

  // The filter: a plain GET form, so it works without JavaScript.
  std::vector<std::pair<std::string, std::string>> months;
  for (const std::string& m : readings.records.Periods()) months.emplace_back(m, m);
  if (months.empty() || months.back().first != period) months.emplace_back(period, period);
  std::string filter = "<form action=\"/returns\" method=\"get\" class=\"tributary-filter\">" +
                       Hidden("code", code) + Select("period", "period", "Month", months, period) +
                       Select("state", "state", "State", kStateFilter, state) +
                       Button("Show returns", true) + "</form>";
  body += "<h2 class=\"nhsuk-heading-m\">Practices</h2>" + filter;
  if (table.rows.empty()) {
    body += InsetText("<p>No returns " +
                      std::string(state.empty() ? "" : "in state " + Escape(state) + " ") + "for " +
                      Escape(period) + ".</p>");
  } else {
    body += RenderTable(table);
  }
  body += "<p>" +
          Link("Rollups for " + code + " in " + period,
               "/rollups?code=" + UrlEncode(code) + "&period=" + UrlEncode(period)) +
          "</p>";
  return RenderPage({"Returns", body, Section::kReturns, 200}, request.user, request.Csrf());
}

}  // namespace tributary::server::web
