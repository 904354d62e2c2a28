#include "metrics/server_metrics.h"

#include <cstdio>

#include "enrol/agent_service.h"
#include "enrol/server_certificate.h"
#include "report/agent_report.h"
#include "store/server_store.h"

namespace tributary::server {
namespace {

std::string Number(double v) {
  char text[64];
  std::snprintf(text, sizeof text, "%.9g", v);
  return text;
}

}  // namespace

std::string ServerMetrics::RouteLabel(const std::string& path) {
  static const char* const kRoutes[] = {
      "/healthz", "/metrics", "/v1/ca", "/v1/enrol", "/v1/renew", "/v1/agent/heartbeat",
      "/v1/sync/push", "/v1/sync/pull", "/v1/rollups", "/v1/agents", "/v1/findings/publish",
      "/v1/returns", "/v1/returns/detail", "/v1/returns/query", "/v1/returns/approve",
      "/v1/returns/approve-bulk", "/v1/returns/approve-bulk/preview", "/v1/records",
      "/v1/records/correct", "/v1/conflicts", "/v1/conflicts/resolve", "/v1/orgs", "/v1/periods",
      "/v1/periods/close", "/v1/periods/reopen", "/v1/periods/publish", "/v1/periods/lineage",
      // The web pages (web/web_app.h).
      "/", "/login", "/logout", "/returns", "/returns/approve-all", "/rollups", "/rollups/download",
      "/periods", "/agents"};
  for (const char* route : kRoutes) {
    if (path == route) return route;
  }
  // Pages and files named by a path of their own count by their kind.
  for (const char* prefix : {"/assets/", "/returns/", "/periods/"}) {
    if (path.rfind(prefix, 0) == 0 && path.rfind("/v1/", 0) != 0) return std::string(prefix) + "*";
  }
  return "other";
}

void ServerMetrics::CountRequest(const std::string& path, int status) {
  std::lock_guard lock(mutex_);
  ++requests_[{RouteLabel(path), status}];
}

void ServerMetrics::SetCertificateEnds(std::chrono::system_clock::time_point server_not_after,
                                       std::chrono::system_clock::time_point ca_not_after) {
  auto ms = [](std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  };
  std::lock_guard lock(mutex_);
  server_not_after_ms_ = ms(server_not_after);
  ca_not_after_ms_ = ms(ca_not_after);
}

void ServerMetrics::CountIngest(std::uint64_t accepted, std::chrono::nanoseconds took) {
  double seconds = std::chrono::duration<double>(took).count();
  std::lock_guard lock(mutex_);
  changes_ingested_ += accepted;
  ++batches_;
  batch_seconds_sum_ += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++bucket_counts_[i];
  }
}

std::string ServerMetrics::Render(ServerStore& store) const {
  std::string out;
  std::int64_t server_not_after_ms = 0, ca_not_after_ms = 0;
  {
    std::lock_guard lock(mutex_);
    server_not_after_ms = server_not_after_ms_;
    ca_not_after_ms = ca_not_after_ms_;
    out +=
        "# HELP tributary_http_requests_total Requests answered, by route and status.\n"
        "# TYPE tributary_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      out += "tributary_http_requests_total{route=\"" + key.first + "\",status=\"" +
             std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
    }
    out +=
        "# HELP tributary_changes_ingested_total Changes accepted from agents.\n"
        "# TYPE tributary_changes_ingested_total counter\n"
        "tributary_changes_ingested_total " +
        std::to_string(changes_ingested_) + "\n";
    out +=
        "# HELP tributary_push_batch_seconds Time to validate and apply one push batch.\n"
        "# TYPE tributary_push_batch_seconds histogram\n";
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += "tributary_push_batch_seconds_bucket{le=\"" + Number(kBuckets[i]) + "\"} " +
             std::to_string(bucket_counts_[i]) + "\n";
    }
    out += "tributary_push_batch_seconds_bucket{le=\"+Inf\"} " + std::to_string(batches_) + "\n";
    out += "tributary_push_batch_seconds_sum " + Number(batch_seconds_sum_) + "\n";
    out += "tributary_push_batch_seconds_count " + std::to_string(batches_) + "\n";
  }
  std::int64_t now = store.NowMillis();
  if (server_not_after_ms != 0) {
    const std::int64_t warning_ms = std::chrono::milliseconds(kCertificateWarning).count();
    out +=
        "# HELP tributary_certificate_not_after_seconds When the certificate the server "
        "presents, and its CA's, end (Unix time).\n"
        "# TYPE tributary_certificate_not_after_seconds gauge\n"
        "tributary_certificate_not_after_seconds{certificate=\"server\"} " +
        std::to_string(server_not_after_ms / 1000) +
        "\n"
        "tributary_certificate_not_after_seconds{certificate=\"ca\"} " +
        std::to_string(ca_not_after_ms / 1000) +
        "\n"
        "# HELP tributary_certificate_renewal_due 1 from 60 days before the certificate ends: "
        "renew the server's (tributary-server certificate renew); roll the CA over.\n"
        "# TYPE tributary_certificate_renewal_due gauge\n"
        "tributary_certificate_renewal_due{certificate=\"server\"} " +
        std::string(server_not_after_ms - now <= warning_ms ? "1" : "0") +
        "\n"
        "tributary_certificate_renewal_due{certificate=\"ca\"} " +
        std::string(ca_not_after_ms - now <= warning_ms ? "1" : "0") + "\n";
  }
  std::uint64_t enrolled = 0, revoked = 0, seen_hour = 0, seen_day = 0, expiring = 0;
  for (const AgentStatus& a : AgentService(store).Statuses()) {
    (a.revoked ? revoked : enrolled) += 1;
    if (a.revoked) continue;
    if (a.last_seen_ms > 0 && now - a.last_seen_ms <= 3'600'000) ++seen_hour;
    if (a.last_seen_ms > 0 && now - a.last_seen_ms <= 86'400'000) ++seen_day;
    if (a.certificate_not_after_ms - now < std::int64_t{kCertificateWarningDays} * 86'400'000) {
      ++expiring;
    }
  }
  out +=
      "# HELP tributary_agents Agents known to the server, by state.\n"
      "# TYPE tributary_agents gauge\n"
      "tributary_agents{state=\"enrolled\"} " +
      std::to_string(enrolled) +
      "\n"
      "tributary_agents{state=\"revoked\"} " +
      std::to_string(revoked) + "\n";
  out +=
      "# HELP tributary_agents_seen Enrolled agents heard from within the period.\n"
      "# TYPE tributary_agents_seen gauge\n"
      "tributary_agents_seen{within=\"1h\"} " +
      std::to_string(seen_hour) +
      "\n"
      "tributary_agents_seen{within=\"24h\"} " +
      std::to_string(seen_day) + "\n";
  out +=
      "# HELP tributary_certificates_expiring Enrolled agents whose certificate ends within "
      "14 days.\n"
      "# TYPE tributary_certificates_expiring gauge\n"
      "tributary_certificates_expiring " +
      std::to_string(expiring) + "\n";
  return out;
}

}  // namespace tributary::server
