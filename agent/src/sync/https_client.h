// A small HTTPS client over libcurl: POST and GET with a pinned CA, an
// optional client certificate (mutual TLS) and an optional proxy. One
// connection is kept and reused across requests.
//
// Not thread-safe: one HttpsClient per thread. curl_global_init must have been
// called (main does it once).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::agent {

struct HttpsClientOptions {
  std::string ca_certificate_pem;       // trust only this CA; empty: trust no one (see insecure)
  std::string client_certificate_path;  // PEM; empty: no client certificate
  std::string client_key_path;
  std::string proxy;                    // e.g. "http://proxy:3128"; empty: libcurl's environment
  bool insecure_skip_verify = false;    // only for fetching a CA whose hash is then checked
  std::chrono::seconds connect_timeout{15};
  std::chrono::seconds total_timeout{120};
};

struct HttpsResponse {
  long status = 0;
  std::string body;
  std::string content_type;
  long retry_after_seconds = -1;  // -1 when the server sent none
};

// What the client has exchanged so far, counted in HTTP bytes (request and
// response lines, headers and bodies; TLS framing not included).
struct HttpTraffic {
  std::uint64_t requests = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
};

class HttpsClient {
 public:
  explicit HttpsClient(HttpsClientOptions options);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // Throws Error(kNetwork) when no HTTP response arrived (DNS, connect, TLS,
  // timeout, cut connection); any HTTP status is returned, not thrown.
  HttpsResponse Get(const std::string& url, const std::vector<std::string>& headers = {});
  HttpsResponse Post(const std::string& url, std::string_view body,
                     const std::vector<std::string>& headers);

  const HttpTraffic& traffic() const { return traffic_; }

 private:
  HttpsResponse Perform(const std::string& url, const std::string* body,
                        const std::vector<std::string>& headers);

  struct CurlDeleter {
    void operator()(void* handle) const;
  };
  HttpsClientOptions options_;
  std::unique_ptr<void, CurlDeleter> curl_;
  HttpTraffic traffic_;
};

}  // namespace tributary::agent
