#include "web/agents_page.h"

#include "report/agent_report.h"
#include "web/agent_health.h"
#include "web/components.h"
#include "web/html.h"
#include "web/json_fields.h"
#include "web/page_frame.h"

namespace tributary::server::web {
namespace {

namespace json = boost::json;

}  // namespace

HttpResponse AgentsPage(const WebRequest& request, const ApiClient& api) {
  json::value answer = api.Get("/v1/agents");
  const json::array& agents = answer.as_object().at("agents").as_array();
  Table t;
  t.id = "agents";
  t.caption = std::to_string(agents.size()) + (agents.size() == 1 ? " agent" : " agents");
  t.headers = {
      "Practice",        "Agent",         "Last seen", "Behind by", "Queue", "Certificate expires",
      "Clock skew (ms)", "Store (bytes)", "Version",   "Last error"};
  t.numeric = {false, false, false, true, true, false, true, true, false, false};
  for (const json::value& v : agents) {
    const json::object& a = v.as_object();
    std::string seen = TextOf(a, "last_seen");
    std::string seen_html =
        seen.empty()
            ? Tag("Never seen", "red")
            : Escape(seen) + "<br><span class=\"nhsuk-body-s\">" +
                  Escape(Span(static_cast<std::int64_t>(NumberOf(a, "offline_seconds")) * 1000)) +
                  " ago</span>";
    std::string agent = Escape(TextOf(a, "agent_id"));
    if (TextOf(a, "revoked") == "true") agent += " " + Tag("Revoked", "grey");
    t.rows.push_back({Escape(TextOf(a, "practice")), agent, seen_html,
                      Figure(NumberOf(a, "behind_by")), Figure(NumberOf(a, "queue_depth")),
                      Escape(TextOf(a, "certificate_not_after")),
                      Figure(NumberOf(a, "clock_skew_ms")), Figure(NumberOf(a, "store_bytes")),
                      Escape(TextOf(a, "agent_version")), Escape(TextOf(a, "last_error"))});
  }
  std::string body =
      Heading("Agents") +
      "<p>Every practice's agent as it last reported itself. The same table is "
      "<code>tributary-server agents</code>.</p>" +
      (agents.empty() ? InsetText("<p>No agent has enrolled yet.</p>") : RenderTable(t));
  return RenderPage({"Agents", body, Section::kAgents, 200}, request.user, request.Csrf());
}

}  // namespace tributary::server::web
