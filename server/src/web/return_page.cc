#include "web/return_page.h"

#include <vector>

#include "tributary/common/error.h"
#include "users/user.h"
#include "web/agent_health.h"
#include "web/components.h"
#include "web/html.h"
#include "web/json_fields.h"
#include "web/page_frame.h"
#include "web/roster_page.h"

namespace tributary::server::web {
namespace {

namespace json = boost::json;

struct ReturnPath {
  std::string practice;
  std::string dataset;
  std::string period;
  std::string action;  // "", "approve", "query", "resolve"

  std::string Href() const {
    return "/returns/" + UrlEncode(practice) + "/" + UrlEncode(dataset) + "/" + UrlEncode(period);
  }
};

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

ReturnPath ParsePath(const std::string& path) {
  std::vector<std::string> s = Segments(path);  // "returns", P, D, M[, action]
  if ((s.size() != 4 && s.size() != 5) || s[1].empty() || s[2].empty() || s[3].empty()) {
    throw Error::NotFound("");
  }
  ReturnPath p{s[1], s[2], s[3], s.size() == 5 ? s[4] : ""};
  if (!p.action.empty() && p.action != "approve" && p.action != "query" && p.action != "resolve") {
    throw Error::NotFound("");
  }
  return p;
}

std::string Breakdown(const json::object& row) {
  std::string out;
  for (const char* name :
       {"staff_group", "staff_role", "hcp_type", "appt_mode", "appt_status", "booking_interval"}) {
    std::string v = TextOf(row, name);
    if (v.empty()) continue;
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out.empty() ? "All" : out;
}

std::string FieldsText(const json::value& fields) {
  if (!fields.is_object()) return "(deleted)";
  std::string out;
  for (const auto& member : fields.as_object()) {
    if (!out.empty()) out += ", ";
    out += std::string(member.key()) + "=" +
           (member.value().is_string() ? std::string(member.value().as_string())
                                       : json::serialize(member.value()));
  }
  return out;
}

// The return's figures: the practice's rollup of the month for the datasets
// rolled up, the records themselves for the others (the list size).
std::string Figures(const ApiClient& api, const ReturnPath& p) {
  Table f;
  f.id = "figures";
  f.caption = "Figures";
  if (p.dataset == "workforce" || p.dataset == "appointments") {
    json::value rows =
        api.Get("/v1/rollups?level=practice&code=" + UrlEncode(p.practice) +
                "&period=" + UrlEncode(p.period) + "&dataset=" + UrlEncode(p.dataset));
    f.headers = {"Measure", "Breakdown", "Value"};
    f.numeric = {false, false, true};
    for (const json::value& row : rows.as_object().at("rows").as_array()) {
      const json::object& o = row.as_object();
      f.rows.push_back({Escape(TextOf(o, "measure")), Escape(Breakdown(o)),
                        Figure(o.at("value").to_number<double>())});
    }
  } else {
    json::value records = api.Get("/v1/records?practice=" + UrlEncode(p.practice) + "&dataset=" +
                                  UrlEncode(p.dataset) + "&period=" + UrlEncode(p.period));
    f.headers = {"Record", "Values", "Version"};
    f.numeric = {false, false, true};
    for (const json::value& record : records.as_object().at("records").as_array()) {
      const json::object& o = record.as_object();
      f.rows.push_back({Escape(TextOf(o, "key")), Escape(FieldsText(o.at("fields"))),
                        Escape(TextOf(o, "version"))});
    }
  }
  if (f.rows.empty()) return "<p>No figures yet: the practice has sent nothing for this month.</p>";
  return RenderTable(f);
}

struct Problem {
  std::string message;
  std::string field_href;  // "#comment" or ""
  std::string comment_error;
  int status = 200;
};

HttpResponse Render(const WebRequest& request, const ApiClient& api, PageReadings& readings,
                    const ReturnPath& p, const Problem& problem) {
  json::value detail_value =
      api.Get("/v1/returns/detail?practice=" + UrlEncode(p.practice) +
              "&dataset=" + UrlEncode(p.dataset) + "&period=" + UrlEncode(p.period));
  const json::object& d = detail_value.as_object();
  std::string revision = TextOf(d, "revision");
  std::string state = TextOf(d, "state");
  std::string practice = OrgName(readings, p.practice, p.period);
  std::string body = Breadcrumbs({{"Returns", "/returns?period=" + UrlEncode(p.period)}});
  if (!problem.message.empty()) body += ErrorSummary({{problem.message, problem.field_href}});
  std::string done = request.Query("done");
  if (done == "approved" || done == "queried" || done == "resolved") {
    body += Banner(done == "approved"  ? "Return approved at revision " + revision
                   : done == "queried" ? "Query sent to the practice"
                                       : "Conflict resolved",
                   "", true);
  }
  body += Heading(p.dataset + " return, " + p.period, practice);

  std::string approved = TextOf(d, "approved_revision");
  body += SummaryList(
      {{"State", StateTag(state)},
       {"Revision", Escape(revision)},
       {"Approved revision", approved.empty() ? "Not approved" : Escape(approved)},
       {"Month", Escape(p.period) + " (" + Escape(TextOf(d, "period_state")) + ")"},
       {"Query", TextOf(d, "query_comment").empty() ? "None" : Escape(TextOf(d, "query_comment"))},
       {"Last changed by", Escape(TextOf(d, "updated_by"))},
       {"Practice agent", AgentHealthHtml(d.at("agent"), request.now_ms)}});

  // The actions, each sending the revision shown.
  if (CanActOnReturns(api.user().role)) {
    std::string actions = "<h2 class=\"nhsuk-heading-m\">Sign off</h2>";
    if (state == "submitted" || state == "queried" || state == "approved") {
      actions += PostForm(p.Href() + "/approve", request.Csrf(),
                          Hidden("revision", revision) + Button("Approve"));
    }
    actions += PostForm(p.Href() + "/query", request.Csrf(),
                        Hidden("revision", revision) +
                            Textarea("comment", "comment", "Comment", problem.comment_error) +
                            Button("Query", true));
    body += actions;
  }

  const json::array& findings = d.at("findings").as_array();
  body += "<h2 class=\"nhsuk-heading-m\">Findings</h2>";
  if (findings.empty()) {
    body += "<p>No findings.</p>";
  } else {
    body += "<ul class=\"nhsuk-list nhsuk-list--bullet\">";
    for (const json::value& f : findings)
      body += "<li>" + Escape(std::string(f.as_string())) + "</li>";
    body += "</ul>";
  }

  const json::array& changes = d.at("changes_since_approval").as_array();
  if (!approved.empty()) {
    body += "<h2 class=\"nhsuk-heading-m\">Changes since approval</h2>";
    if (changes.empty()) {
      body += "<p>Nothing has changed since revision " + Escape(approved) + " was approved.</p>";
    } else {
      Table t;
      t.id = "changes";
      t.caption = std::to_string(changes.size()) + " values changed since approval";
      t.headers = {"Record", "Field", "Approved", "Now"};
      for (const json::value& c : changes) {
        const json::object& o = c.as_object();
        t.rows.push_back({Escape(TextOf(o, "record_key")), Escape(TextOf(o, "field")),
                          Escape(TextOf(o, "approved")), Escape(TextOf(o, "current"))});
      }
      body += RenderTable(t);
    }
  }

  json::value conflicts_value =
      api.Get("/v1/conflicts?period=" + UrlEncode(p.period) + "&code=" + UrlEncode(p.practice));
  std::string conflicts;
  for (const json::value& c : conflicts_value.as_object().at("conflicts").as_array()) {
    const json::object& o = c.as_object();
    if (TextOf(o, "dataset") != p.dataset) continue;
    std::string id = TextOf(o, "id");
    conflicts +=
        "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\">"
        "<h3 class=\"nhsuk-card__heading nhsuk-heading-s\">Record " +
        Escape(TextOf(o, "key")) + "</h3>" +
        SummaryList({{"The practice's value", Escape(FieldsText(o.at("practice_value")))},
                     {"The central correction", Escape(FieldsText(o.at("central_value")))}});
    if (CanActOnReturns(api.user().role)) {
      conflicts += PostForm(p.Href() + "/resolve", request.Csrf(),
                            Hidden("conflict", id) + Hidden("keep", "practice") +
                                Button("Keep the practice's value", true)) +
                   PostForm(p.Href() + "/resolve", request.Csrf(),
                            Hidden("conflict", id) + Hidden("keep", "central") +
                                Button("Keep the central correction", true));
    }
    conflicts += "</div></div>";
  }
  if (!conflicts.empty()) body += "<h2 class=\"nhsuk-heading-m\">Conflicts</h2>" + conflicts;

  const json::array& refused = d.at("refused_changes").as_array();
  if (!refused.empty()) {
    Table t;
    t.id = "refused";
    t.caption = "Changes the server refused";
    t.headers = {"Record", "Why", "Received"};
    for (const json::value& r : refused) {
      const json::object& o = r.as_object();
      std::string reasons;
      for (const json::value& why : o.at("reasons").as_array()) {
        if (!reasons.empty()) reasons += "; ";
        reasons += why.is_string() ? std::string(why.as_string()) : json::serialize(why);
      }
      t.rows.push_back(
          {Escape(TextOf(o, "record_key")), Escape(reasons), Escape(TextOf(o, "received_at"))});
    }
    body += "<h2 class=\"nhsuk-heading-m\">Refused changes</h2>" + RenderTable(t);
  }

  body += "<h2 class=\"nhsuk-heading-m\">Figures</h2>" + Figures(api, p);

  Table h;
  h.id = "history";
  h.caption = "History";
  h.headers = {"When", "What", "Revision", "Who", "State", "Comment"};
  for (const json::value& e : d.at("history").as_array()) {
    const json::object& o = e.as_object();
    std::string what = TextOf(o, "action");
    if (what == "change")
      what += " (" + TextOf(o, "upserts") + " upserts, " + TextOf(o, "deletes") + " deletes)";
    h.rows.push_back({Escape(TextOf(o, "at")), Escape(what), Escape(TextOf(o, "revision")),
                      Escape(TextOf(o, "actor")),
                      Escape(TextOf(o, "from_state") + " to " + TextOf(o, "to_state")),
                      Escape(TextOf(o, "comment"))});
  }
  body += "<h2 class=\"nhsuk-heading-m\">History</h2>" + RenderTable(h);

  PageContent page{p.dataset + " return " + p.practice + " " + p.period, body, Section::kReturns,
                   problem.status};
  return RenderPage(page, request.user, request.Csrf());
}

json::object KeyOf(const ReturnPath& p) {
  return {{"practice", p.practice}, {"dataset", p.dataset}, {"period", p.period}};
}

std::int64_t RevisionOf(const WebRequest& request) {
  std::string text = request.Form("revision");
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    throw Error::InvalidArgument("the form's revision is missing or not a whole number");
  }
  return std::stoll(text);
}

HttpResponse Act(const WebRequest& request, const ApiClient& api, PageReadings& readings,
                 const ReturnPath& p) {
  json::object body = KeyOf(p);
  if (p.action == "resolve") {
    std::string id = request.Form("conflict");
    if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos) {
      throw Error::InvalidArgument("the form's conflict is missing or not a whole number");
    }
    api.Post("/v1/conflicts/resolve", {{"id", std::stoll(id)}, {"keep", request.Form("keep")}});
    return Redirect(p.Href() + "?done=resolved");
  }
  body["revision"] = RevisionOf(request);
  if (p.action == "query") {
    std::string comment = request.Form("comment");
    if (comment.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Render(request, api, readings, p,
                    {"Enter a comment: say what the practice should look at", "#comment",
                     "Enter a comment: say what the practice should look at", 400});
    }
    body["comment"] = comment;
  }
  try {
    api.Post(p.action == "approve" ? "/v1/returns/approve" : "/v1/returns/query", body);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kConflict) throw;
    // A stale revision or an illegal move: the page as it is now, saying so.
    return Render(request, api, readings, p,
                  {std::string(e.what()) + ". The page now shows the return as it is: check it "
                                           "and try again.",
                   "", "", 409});
  }
  return Redirect(p.Href() + "?done=" + (p.action == "approve" ? "approved" : "queried"));
}

}  // namespace

HttpResponse ReturnPages(const WebRequest& request, const ApiClient& api, PageReadings& readings) {
  ReturnPath p = ParsePath(request.path);
  bool post = request.http.method == "POST";
  if (p.action.empty()) {
    if (post) throw Error::InvalidArgument("use the page's Approve or Query buttons");
    return Render(request, api, readings, p, {});
  }
  if (!post) return Redirect(p.Href());
  return Act(request, api, readings, p);
}

}  // namespace tributary::server::web
