#include "web/periods_page.h"

#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "users/user.h"
#include "web/components.h"
#include "web/html.h"
#include "web/json_fields.h"
#include "web/page_frame.h"

namespace tributary::server::web {
namespace {

namespace json = boost::json;

std::string Render(const WebRequest& request, const ApiClient& api, const std::string& notice,
                   const std::string& problem) {
  json::value answer = api.Get("/v1/periods");
  const json::object& all = answer.as_object();
  std::string body;
  if (!problem.empty()) body += ErrorSummary({{problem, ""}});
  if (!notice.empty()) body += Banner(notice, "", true);
  body += Heading("Months", TextOf(all, "ics"));
  body +=
      "<p>Closing a month stops practices' changes to it from applying (they are kept, and "
      "shown on the returns). Publishing a closed month makes a version that never changes: "
      "analysts read it whatever happens later.</p>";
  bool can_act = CanSignOffMonths(api.user().role);
  Table t;
  t.id = "months";
  t.caption = "Months of " + TextOf(all, "ics");
  t.headers = {"Month", "State", "Coverage", "Published versions"};
  if (can_act) t.headers.push_back("Actions");
  const json::array& periods = all.at("periods").as_array();
  for (auto it = periods.rbegin(); it != periods.rend(); ++it) {
    const json::object& p = it->as_object();
    std::string period = TextOf(p, "period");
    std::string state = TextOf(p, "state");
    const json::object& c = p.at("coverage").as_object();
    std::string coverage =
        Escape(TextOf(c, "practices_submitted") + " of " + TextOf(c, "practices_expected") +
               " submitted, " + TextOf(c, "practices_approved") + " approved");
    std::string versions;
    for (const json::value& v : p.at("versions").as_array()) {
      const json::object& o = v.as_object();
      versions += "<p class=\"nhsuk-body-s\">Version " + Escape(TextOf(o, "version")) + ", " +
                  Escape(TextOf(o, "published_at")) + " by " + Escape(TextOf(o, "published_by")) +
                  " (" + Escape(TextOf(o, "returns")) + " returns, " +
                  Escape(TextOf(o, "figures")) + " figures) " +
                  Link("figures", "/rollups?period=" + UrlEncode(period)) + "</p>";
    }
    if (versions.empty()) versions = "None";
    std::vector<std::string> row = {Escape(period), StateTag(state), coverage, versions};
    if (can_act) {
      std::string actions;
      auto action = [&](const char* path, const std::string& label, bool secondary) {
        return PostForm(
            path, request.Csrf(),
            Hidden("period", period) + "<button class=\"nhsuk-button nhsuk-button--small" +
                std::string(secondary ? " nhsuk-button--secondary" : "") + "\" type=\"submit\">" +
                Escape(label) + "<span class=\"nhsuk-u-visually-hidden\"> " + Escape(period) +
                "</span></button>");
      };
      if (state == "open") {
        actions += action("/periods/close", "Close month", false);
      } else {
        actions += action("/periods/publish", "Publish", false);
        actions += action("/periods/reopen", "Reopen month", true);
      }
      row.push_back(actions);
    }
    t.rows.push_back(std::move(row));
  }
  body += periods.empty() ? InsetText("<p>No month has records yet.</p>") : RenderTable(t);
  return body;
}

}  // namespace

HttpResponse PeriodsPage(const WebRequest& request, const ApiClient& api) {
  std::string done = request.Query("done");
  std::string month = request.Query("period");
  std::string notice;
  if (ParsePeriod(month)) {
    if (done == "close") notice = month + " is closed";
    if (done == "reopen") notice = month + " is open again";
    if (done == "publish") notice = month + " is published";
  }
  return RenderPage({"Months", Render(request, api, notice, ""), Section::kPeriods, 200},
                    request.user, request.Csrf());
}

HttpResponse PeriodAction(const WebRequest& request, const ApiClient& api) {
  std::string action = request.path.substr(std::string("/periods/").size());
  if (action != "close" && action != "reopen" && action != "publish") {
    throw Error::NotFound("");
  }
  std::string period = request.Form("period");
  try {
    api.Post("/v1/periods/" + action, {{"period", period}});
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kConflict && e.code() != ErrorCode::kInvalidArgument) throw;
    int status = e.code() == ErrorCode::kConflict ? 409 : 400;
    return RenderPage({"Months", Render(request, api, "", e.what()), Section::kPeriods, status},
                      request.user, request.Csrf());
  }
  return Redirect("/periods?done=" + action + "&period=" + UrlEncode(period));
}

}  // namespace tributary::server::web
