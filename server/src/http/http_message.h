// Plain HTTP request and response values handed between the HTTPS layer and
// the request handlers. Nothing here depends on Boost.Beast, so handlers are
// built and tested without sockets or TLS.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tributary::server {

// The verified client certificate of an mTLS connection.
struct PeerCertificate {
  std::string common_name;  // the practice code the certificate names
  std::string serial_hex;
  std::chrono::system_clock::time_point not_after;
};

struct HttpRequest {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // path and query, e.g. "/v1/sync/pull?cursor=3"
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::optional<PeerCertificate> peer;  // set only when the client presented a valid certificate
  std::string remote_address;

  // The value of header `name` (lower case), or "" when absent.
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Retry-After
};

// Turns a request into a response. Called on a worker thread, never on the
// I/O thread; must be thread-safe and must not throw (an escaping exception
// is answered 500 and logged).
using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;

// Answers a request on the I/O thread itself, without the hand-over to a
// worker (two thread switches, which cost more than a cheap request does),
// or returns nullopt to hand it over as usual. Must never block: no file,
// network or database work, no lock held for more than a moment; must not throw.
using QuickHandler = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

}  // namespace tributary::server
