#include "web/rollups_page.h"

#include <map>
#include <set>
#include <vector>

#include "orgs/organisation.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "web/components.h"
#include "web/html.h"
#include "web/json_fields.h"
#include "web/page_frame.h"
#include "web/roster_page.h"
#include "web/trend_chart.h"

namespace tributary::server::web {
namespace {

namespace json = boost::json;

constexpr const char* kBreakdowns[] = {"staff_group", "staff_role",  "hcp_type",
                                       "appt_mode",   "appt_status", "booking_interval"};

// The headline measures, in the order people read them, with their names.
const std::vector<std::pair<std::string, std::string>> kHeadlines = {
    {"headcount", "Headcount"},
    {"fte", "Full-time equivalent (FTE)"},
    {"arrs_headcount", "ARRS headcount"},
    {"arrs_fte", "ARRS FTE"},
    {"gp_fte_per_10k", "GP FTE per 10,000 patients"},
    {"appointments", "Appointments"},
    {"appointments_per_1000", "Appointments per 1,000 patients"},
    {"dna_rate", "Did not attend (DNA) rate"},
    {"face_to_face_share", "Face-to-face share"},
    {"same_day_share", "Same-day share"}};

struct Row {
  std::string code;
  std::string period;
  std::string dataset;
  std::string measure;
  std::string breakdown;  // "" for a headline figure
  double value = 0;
  std::int64_t covered = 0;
};

std::vector<Row> RowsOf(const json::value& answer) {
  std::vector<Row> rows;
  for (const json::value& v : answer.as_object().at("rows").as_array()) {
    const json::object& o = v.as_object();
    std::string breakdown;
    for (const char* name : kBreakdowns) {
      std::string part = TextOf(o, name);
      if (part.empty()) continue;
      if (!breakdown.empty()) breakdown += ", ";
      breakdown += part;
    }
    rows.push_back({TextOf(o, "code"), TextOf(o, "period"), TextOf(o, "dataset"),
                    TextOf(o, "measure"), breakdown, o.at("value").to_number<double>(),
                    o.at("practices_covered").to_number<std::int64_t>()});
  }
  return rows;
}

// The 12 months ending with `period`, oldest first.
std::vector<std::string> TwelveMonths(const std::string& period) {
  std::optional<Period> p = ParsePeriod(period);
  if (!p) throw Error::InvalidArgument("period must be YYYY-MM, not '" + period + "'");
  std::vector<std::string> out(12);
  Period m = *p;
  for (int i = 11; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = m.ToString();
    if (--m.month == 0) {
      m.month = 12;
      --m.year;
    }
  }
  return out;
}

std::string Covers(std::int64_t covered, std::int64_t expected) {
  std::string text = Thousands(covered) + (expected > 0 ? " of " + Thousands(expected) : "") +
                     (covered == 1 && expected <= 0 ? " practice" : " practices");
  return "<span class=\"nhsuk-body-s\">" + Escape(text) + "</span>";
}

std::string Href(const std::string& level, const std::string& code, const std::string& period) {
  return "/rollups?level=" + UrlEncode(level) + "&code=" + UrlEncode(code) +
         "&period=" + UrlEncode(period);
}

// The API's query for one organisation's figures.
std::string Query(const std::string& level, const std::string& code, const std::string& period) {
  std::string target = "/v1/rollups?level=" + UrlEncode(level) + "&code=" + UrlEncode(code);
  if (!period.empty()) target += "&period=" + UrlEncode(period);
  return target;
}

}  // namespace

HttpResponse RollupsPage(const WebRequest& request, const ApiClient& api, PageReadings& readings) {
  std::string code = request.Query("code").empty() ? api.user().scope : request.Query("code");
  std::string period = MonthShown(request.Query("period"), readings, request.now_ms);
  std::vector<std::string> months = TwelveMonths(period);
  std::shared_ptr<const OrgHierarchy> hierarchy = readings.orgs.Hierarchy();
  std::string day = period + "-01";
  const Organisation* org = hierarchy->Find(code, day);
  if (org == nullptr) throw Error::NotFound(code + " is not an organisation in " + period);
  std::string level(LevelName(org->level));
  if (!request.Query("level").empty() && request.Query("level") != level) {
    throw Error::InvalidArgument(code + " is a " + level + ", not a " + request.Query("level"));
  }

  // One answer for the organisation's every month (current figures and the
  // trend), one for the organisations below it this month.
  std::vector<Row> rows = RowsOf(api.Get(Query(level, code, "")));
  std::map<std::string, std::map<std::string, const Row*>> headline;  // measure -> period -> row
  std::vector<const Row*> current;
  for (const Row& r : rows) {
    if (r.period == period) current.push_back(&r);
    if (r.breakdown.empty()) headline[r.measure][r.period] = &r;
  }
  auto figure = [&](const std::string& measure) -> const Row* {
    auto m = headline.find(measure);
    if (m == headline.end()) return nullptr;
    auto p = m->second.find(period);
    return p == m->second.end() ? nullptr : p->second;
  };
  std::int64_t expected = 0;
  if (const Row* r = figure("practices_expected")) expected = static_cast<std::int64_t>(r->value);

  std::string name = OrgName(readings, code, period);
  std::vector<std::pair<std::string, std::string>> trail;
  for (std::string parent = org->parent; !parent.empty();) {
    const Organisation* up = hierarchy->Find(parent, day);
    if (up == nullptr) break;
    trail.insert(trail.begin(), {OrgName(readings, up->code, period),
                                 Href(std::string(LevelName(up->level)), up->code, period)});
    parent = up->parent;
  }
  std::string body;
  if (!trail.empty()) body += Breadcrumbs(trail);
  body += Heading("Rollups, " + period, name + ", " + level);

  std::vector<std::pair<std::string, std::string>> month_options;
  for (const std::string& m : readings.records.Periods()) month_options.emplace_back(m, m);
  if (month_options.empty() || month_options.back().first != period) {
    month_options.emplace_back(period, period);
  }
  body += "<form action=\"/rollups\" method=\"get\" class=\"tributary-filter\">" +
          Hidden("level", level) + Hidden("code", code) +
          Select("period", "period", "Month", month_options, period) + Button("Show", true) +
          "</form>";
  body += "<p><a class=\"nhsuk-link\" href=\"/rollups/download?level=" + UrlEncode(level) +
          "&amp;code=" + UrlEncode(code) + "&amp;period=" + UrlEncode(period) +
          "\" download>Download CSV<span class=\"nhsuk-u-visually-hidden\"> of the " +
          Escape(period) + " figures for " + Escape(code) + "</span></a></p>";

  body += "<h2 class=\"nhsuk-heading-m\">Coverage</h2>";
  std::vector<std::pair<std::string, std::string>> coverage;
  for (const auto& [measure, label] : std::vector<std::pair<std::string, std::string>>{
           {"practices_expected", "Practices expected"},
           {"practices_submitted", "Submitted"},
           {"practices_approved", "Approved"}}) {
    const Row* r = figure(measure);
    coverage.emplace_back(label, r ? Figure(r->value) : "None");
  }
  body += SummaryList(coverage);

  Table headlines;
  headlines.id = "headlines";
  headlines.caption = "Headline figures, " + period;
  headlines.headers = {"Measure", "Value", "Covers"};
  headlines.numeric = {false, true, false};
  for (const auto& [measure, label] : kHeadlines) {
    const Row* r = figure(measure);
    if (r == nullptr) continue;
    headlines.rows.push_back({Escape(label), Figure(r->value), Covers(r->covered, expected)});
  }
  body += "<h2 class=\"nhsuk-heading-m\">Headline figures</h2>";
  body += headlines.rows.empty() ? InsetText("<p>No practice in " + Escape(code) +
                                             " has sent figures for " + Escape(period) + ".</p>")
                                 : RenderTable(headlines);

  // Drill-down: the organisations directly below, this month.
  if (org->level != OrgLevel::kPractice) {
    auto child_level = static_cast<OrgLevel>(static_cast<int>(org->level) - 1);
    std::string child_name(LevelName(child_level));
    std::set<std::string> children;
    for (const Organisation* o : hierarchy->At(child_level, day)) {
      if (o->parent == code) children.insert(o->code);
    }
    std::map<std::string, std::map<std::string, const Row*>> by_child;  // code -> measure -> row
    // One query per organisation below: the API answers a level without a
    // code for every organisation of that level before scoping it.
    std::vector<Row> child_rows;
    for (const std::string& child : children) {
      for (Row& r : RowsOf(api.Get(Query(child_name, child, period)))) {
        child_rows.push_back(std::move(r));
      }
    }
    for (const Row& r : child_rows) {
      if (r.breakdown.empty()) by_child[r.code][r.measure] = &r;
    }
    Table t;
    t.id = "drill-down";
    t.caption = std::to_string(children.size()) + " " + child_name +
                (children.size() == 1 ? "" : "s") + " in " + code;
    t.headers = {"Organisation", "Headcount", "FTE", "Appointments", "Covers"};
    t.numeric = {false, true, true, true, false};
    for (const std::string& child : children) {
      auto& measures = by_child[child];
      auto value = [&](const char* m) {
        auto it = measures.find(m);
        return it == measures.end() ? std::string("None") : Figure(it->second->value);
      };
      auto expected_row = measures.find("practices_expected");
      auto submitted_row = measures.find("practices_submitted");
      std::int64_t child_expected = expected_row == measures.end()
                                        ? 0
                                        : static_cast<std::int64_t>(expected_row->second->value);
      std::int64_t child_covered = submitted_row == measures.end()
                                       ? 0
                                       : static_cast<std::int64_t>(submitted_row->second->value);
      t.rows.push_back({Link(OrgName(readings, child, period), Href(child_name, child, period)),
                        value("headcount"), value("fte"), value("appointments"),
                        Covers(child_covered, child_expected) + Escape(" submitted")});
    }
    body += "<h2 class=\"nhsuk-heading-m\">By " + Escape(child_name) + "</h2>";
    body += children.empty() ? "<p>None.</p>" : RenderTable(t);
  }

  // Trends: the last 12 months of each headline measure.
  body += "<h2 class=\"nhsuk-heading-m\">Trends, 12 months to " + Escape(period) + "</h2>";
  int chart = 0;
  for (const auto& [measure, label] : kHeadlines) {
    auto m = headline.find(measure);
    if (m == headline.end()) continue;
    std::vector<TrendPoint> points;
    Table t;
    t.caption = label + ", 12 months to " + period;
    t.headers = {"Month", "Value", "Covers"};
    t.numeric = {false, true, false};
    for (const std::string& month : months) {
      auto p = m->second.find(month);
      points.push_back(
          {month, p == m->second.end() ? std::nullopt : std::optional<double>(p->second->value)});
      t.rows.push_back({Escape(month), p == m->second.end() ? "None" : Figure(p->second->value),
                        p == m->second.end() ? "" : Covers(p->second->covered, 0)});
    }
    std::string id = "trend-" + std::to_string(++chart);
    body += "<figure class=\"tributary-figure\"><h3 class=\"nhsuk-heading-s\">" + Escape(label) +
            "</h3>" + TrendChart(id, label + ", 12 months to " + period, points) +
            "<details class=\"nhsuk-details\"><summary class=\"nhsuk-details__summary\"><span "
            "class=\"nhsuk-details__summary-text\">" +
            Escape(label) +
            " as a table</span>"
            "</summary><div class=\"nhsuk-details__text\">" +
            RenderTable(t) + "</div></details></figure>";
  }

  // Every measure's breakdowns this month.
  Table all;
  all.id = "breakdowns";
  all.caption = "Every measure and breakdown, " + period;
  all.headers = {"Dataset", "Measure", "Breakdown", "Value", "Covers"};
  all.numeric = {false, false, false, true, false};
  for (const Row* r : current) {
    if (r->breakdown.empty()) continue;
    all.rows.push_back({Escape(r->dataset), Escape(r->measure), Escape(r->breakdown),
                        Figure(r->value), Covers(r->covered, expected)});
  }
  if (!all.rows.empty()) {
    body += "<h2 class=\"nhsuk-heading-m\">Breakdowns</h2>" + RenderTable(all);
  }
  return RenderPage({"Rollups " + code + " " + period, body, Section::kRollups, 200}, request.user,
                    request.Csrf());
}

HttpResponse RollupsDownload(const WebRequest& request, const ApiClient& api) {
  std::string code = request.Query("code").empty() ? api.user().scope : request.Query("code");
  std::string level = request.Query("level");
  std::string period = request.Query("period");
  if (level.empty() || period.empty()) {
    throw Error::InvalidArgument("level and period are required: use the page's Download CSV");
  }
  HttpResponse response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = api.GetText(Query(level, code, period) + "&format=csv");
  std::string file = "rollups-" + level + "-" + code + "-" + period + ".csv";
  for (char& c : file) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '_';
  }
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file + "\"");
  response.headers.emplace_back("Cache-Control", "no-store");
  AddSecurityHeaders(response);
  return response;
}

}  // namespace tributary::server::web
