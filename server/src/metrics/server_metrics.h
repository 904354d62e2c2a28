// What the server counts for Prometheus (GET /metrics, text format 0.0.4):
//
//   tributary_http_requests_total{route,status}   requests answered by the router
//   tributary_changes_ingested_total              changes accepted from agents
//   tributary_push_batch_seconds                  histogram of a push batch's handling time
//   tributary_agents{state}                       enrolled and revoked agents (from the store)
//   tributary_agents_seen{within}                 agents heard from within 1h and 24h
//   tributary_certificates_expiring               unrevoked agents whose certificate ends
//                                                 within 14 days
//   tributary_certificate_not_after_seconds{certificate}
//                                                 when the server's and the CA's
//                                                 certificates end (Unix time)
//   tributary_certificate_renewal_due{certificate}
//                                                 1 from 60 days before that end
//
// Routes are labelled by their fixed path (unknown paths as "other"), so the
// label set stays small. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace tributary::server {

class ServerStore;

class ServerMetrics {
 public:
  void CountRequest(const std::string& path, int status);
  void CountIngest(std::uint64_t accepted, std::chrono::nanoseconds took);
  // When the certificates the server presents end (not shown until set).
  void SetCertificateEnds(std::chrono::system_clock::time_point server_not_after,
                          std::chrono::system_clock::time_point ca_not_after);

  // The exposition text, with the store's gauges read now.
  std::string Render(ServerStore& store) const;

  // The label a path is counted under.
  static std::string RouteLabel(const std::string& path);

 private:
  static constexpr std::array<double, 11> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1,    2.5,   5,    10};
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::uint64_t changes_ingested_ = 0;
  std::array<std::uint64_t, kBuckets.size()> bucket_counts_{};
  std::uint64_t batches_ = 0;
  double batch_seconds_sum_ = 0;
  std::int64_t server_not_after_ms_ = 0;  // 0: not set
  std::int64_t ca_not_after_ms_ = 0;
};

}  // namespace tributary::server
