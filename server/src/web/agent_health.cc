#include "web/agent_health.h"

#include "report/agent_report.h"
#include "tributary/common/dates.h"
#include "web/components.h"
#include "web/html.h"
#include "web/json_fields.h"

namespace tributary::server::web {

namespace json = boost::json;

std::string AgentHealthHtml(const json::value& agent, std::int64_t now_ms) {
  if (!agent.is_object()) return Tag("No agent enrolled", "grey");
  const json::object& a = agent.as_object();
  std::string html;
  const json::value* offline = a.if_contains("offline_seconds");
  if (offline == nullptr || !offline->is_int64()) {
    html += Tag("Never seen", "red");
  } else {
    std::int64_t seconds = offline->as_int64();
    html += seconds >= 86400 ? Tag("Offline " + Span(seconds * 1000), "red")
                             : Escape("Seen " + Span(seconds * 1000) + " ago");
    html +=
        "<br><span class=\"nhsuk-body-s\">Last seen " + Escape(TextOf(a, "last_seen")) + "</span>";
  }
  if (const json::value* behind = a.if_contains("behind_by");
      behind != nullptr && behind->is_number() && behind->to_number<double>() > 0) {
    html += "<br>" + Escape(Figure(behind->to_number<double>()) + " changes not yet sent");
  }
  if (const json::value* paused = a.if_contains("imports_paused");
      paused != nullptr && paused->is_bool() && paused->as_bool()) {
    html += "<br>" + Tag("Imports paused", "orange");
  }
  std::string expires = TextOf(a, "certificate_expires");
  if (!expires.empty()) {
    // ISO times compare as text.
    std::string day = expires.substr(0, 10);
    std::string warn_from =
        FormatUtc(now_ms + std::int64_t{kCertificateWarningDays} * 86'400'000).substr(0, 10);
    if (expires < FormatUtc(now_ms)) {
      html += "<br>" + Tag("Certificate expired " + day, "red");
    } else if (day < warn_from) {
      html += "<br>" + Tag("Certificate expires " + day, "red");
    } else {
      html += "<br><span class=\"nhsuk-body-s\">Certificate expires " + Escape(day) + "</span>";
    }
  }
  return html;
}

}  // namespace tributary::server::web
