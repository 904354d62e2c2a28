#include "web/agent_health.h"

#include <cstdio>

#include "report/agent_report.h"
#include "tributary/common/dates.h"
#include "web/components.h"
#include "web/html.h"

namespace tributary::server::web {
namespace {

namespace json = boost::json;

std::string StringOf(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::string Span(std::int64_t s) {
  char text[48];
  if (s >= 86400) {
    std::snprintf(text, sizeof text, "%lldd %lldh", static_cast<long long>(s / 86400),
                  static_cast<long long>(s % 86400 / 3600));
  } else if (s >= 3600) {
    std::snprintf(text, sizeof text, "%lldh %lldm", static_cast<long long>(s / 3600),
                  static_cast<long long>(s % 3600 / 60));
  } else if (s >= 60) {
    std::snprintf(text, sizeof text, "%lldm", static_cast<long long>(s / 60));
  } else {
    std::snprintf(text, sizeof text, "%llds", static_cast<long long>(s < 0 ? 0 : s));
  }
  return text;
}

std::string AgentHealthHtml(const json::value& agent, std::int64_t now_ms) {
  if (!agent.is_object()) return Tag("No agent enrolled", "grey");
  const json::object& a = agent.as_object();
  std::string html;
  const json::value* offline = a.if_contains("offline_seconds");
  if (offline == nullptr || !offline->is_int64()) {
    html += Tag("Never seen", "red");
  } else {
    std::int64_t seconds = offline->as_int64();
    html += seconds >= 86400 ? Tag("Offline " + Span(seconds), "red")
                             : Escape("Seen " + Span(seconds) + " ago");
    html += "<br><span class=\"nhsuk-body-s\">Last seen " + Escape(StringOf(a, "last_seen")) +
            "</span>";
  }
  if (const json::value* behind = a.if_contains("behind_by");
      behind != nullptr && behind->is_number() && behind->to_number<double>() > 0) {
    html += "<br>" + Escape(Figure(behind->to_number<double>()) + " changes not yet sent");
  }
  if (const json::value* paused = a.if_contains("imports_paused");
      paused != nullptr && paused->is_bool() && paused->as_bool()) {
    html += "<br>" + Tag("Imports paused", "orange");
  }
  std::string expires = StringOf(a, "certificate_expires");
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
