// The agent's seam to the network: an HTTP exchange with the server. The
// sync clients (push, pull, heartbeat, renewal) speak only to this, so their
// handling of every reply — and of every reply that never comes — is tested
// with a scripted transport instead of a server (tests/unit/agent/).
// HttpsClient (sync/https_client.h) is the real one, over libcurl.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::agent {

struct HttpsResponse {
  long status = 0;
  std::string body;
  std::string content_type;
  long retry_after_seconds = -1;  // -1 when the server sent none
};

// What a transport has exchanged so far, counted in HTTP bytes (request and
// response lines, headers and bodies; TLS framing not included).
struct HttpTraffic {
  std::uint64_t requests = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Each throws Error(kNetwork) when no whole HTTP response arrived (DNS,
  // connect, TLS, timeout, a connection cut); any HTTP status is returned,
  // not thrown. Not thread-safe unless an implementation says so.
  virtual HttpsResponse Get(const std::string& url,
                            const std::vector<std::string>& headers = {}) = 0;
  virtual HttpsResponse Post(const std::string& url, std::string_view body,
                             const std::vector<std::string>& headers) = 0;
  virtual const HttpTraffic& traffic() const = 0;
};

}  // namespace tributary::agent
