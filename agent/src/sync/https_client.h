// The agent's transport (sync/transport.h) over libcurl: POST and GET with a
// pinned CA, an optional client certificate (mutual TLS) and an optional
// proxy. One connection is kept and reused across requests.
//
// Not thread-safe: one HttpsClient per thread. curl_global_init must have been
// called (main does it once).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/system_proxy.h"
#include "sync/transport.h"

namespace tributary::agent {

struct HttpsClientOptions {
  std::string ca_certificate_pem;       // trust only this CA; empty: trust no one (see insecure)
  std::string client_certificate_path;  // PEM; empty: no client certificate
  std::string client_key_path;
  std::string proxy;  // e.g. "http://proxy:3128"; empty: the machine's (platform/system_proxy.h)
  bool insecure_skip_verify = false;  // only for fetching a CA whose hash is then checked
  std::chrono::seconds connect_timeout{15};
  std::chrono::seconds total_timeout{120};
  // A longer response body is not read: the request fails with
  // Error(kProtocol). Pulls are paged well below the default.
  std::size_t max_response_bytes = 256 * 1024 * 1024;
};

class HttpsClient final : public Transport {
 public:
  explicit HttpsClient(HttpsClientOptions options);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // Throws Error(kNetwork) when no HTTP response arrived (DNS, connect, TLS,
  // timeout, cut connection); any HTTP status is returned, not thrown.
  HttpsResponse Get(const std::string& url, const std::vector<std::string>& headers = {}) override;
  HttpsResponse Post(const std::string& url, std::string_view body,
                     const std::vector<std::string>& headers) override;

  const HttpTraffic& traffic() const override { return traffic_; }

 private:
  HttpsResponse Perform(const std::string& url, const std::string* body,
                        const std::vector<std::string>& headers);

  struct CurlDeleter {
    void operator()(void* handle) const;
  };
  HttpsClientOptions options_;
  std::optional<SystemProxy> system_proxy_;  // used when options_.proxy is empty
  std::unique_ptr<void, CurlDeleter> curl_;
  HttpTraffic traffic_;
};

}  // namespace tributary::agent
