// The HTTPS listener: Boost.Beast over OpenSSL, asynchronous, one strand per
// connection. Request handling runs on a bounded worker pool so that database
// work never blocks the I/O thread.
//
// Thread-safety: Start() and Run() are called once, from one thread; Stop()
// may be called from any thread (including a signal handler's strand).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "http/http_message.h"

namespace tributary::server {

// Every limit of the HTTPS layer, with its default.
struct HttpsServerLimits {
  // The body an agent may send: one that presented a certificate of the
  // server's CA in the handshake. Pushes are up to a few MiB compressed.
  std::size_t max_body_bytes = 16 * 1024 * 1024;
  // Everyone else (enrolment, people's forms and API calls): their bodies are
  // read before anything says who they are, so a stranger gets a small one
  // (the smaller of this and max_body_bytes); beyond it, 413 before the body
  // is read.
  std::size_t max_unauthenticated_body_bytes = 64 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_connections = 1024;
  // Open connections from one address; more are closed as they are accepted,
  // so one client cannot take every connection (and /healthz with them).
  std::size_t max_connections_per_source = 64;
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds idle_timeout{60};    // keep-alive connection with no request
  std::chrono::seconds shutdown_grace{10};  // Stop(): time given to requests in flight
  std::size_t io_threads = 1;
  std::size_t worker_threads = 2;
  // Requests being handled or waiting for a worker. Beyond it a request is
  // answered at once with 429 and Retry-After (code "busy"), so a herd of
  // agents returning after an outage queues on their side, not in memory here.
  // /healthz is always served.
  std::size_t max_pending_requests = 64;
  std::chrono::seconds busy_retry_after{5};
};

struct HttpsServerOptions {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 0;       // 0: the kernel picks; Start() returns the port bound
  std::string certificate_pem;  // server certificate (chain)
  std::string key_pem;          // its private key
  std::string client_ca_pem;    // CA that client certificates must chain to
  HttpsServerLimits limits;
};

class HttpsServer {
 public:
  // `quick`, if given, is offered every request first (see QuickHandler).
  HttpsServer(HttpsServerOptions options, RequestHandler handler, QuickHandler quick = {});
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  // Binds and listens; returns the port bound. Throws tributary::Error.
  std::uint16_t Start();

  // Serves until Stop(); returns after in-flight requests finish or the grace
  // period ends.
  void Run();

  // Stops accepting, lets requests in flight finish, then closes. Idempotent.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads one request from raw bytes as a connection does: the same parser,
// limits and refusals (an `authenticated` connection's body limit, or a
// stranger's). Gives the request; or the error answer a connection
// would send (400, 413, 431); or monostate where a connection would close
// (the bytes end before the request does, or are not HTTP). For fuzzing the
// request path without sockets.
std::variant<HttpRequest, HttpResponse, std::monostate> ParseHttpRequest(
    std::string_view bytes, const HttpsServerLimits& limits, bool authenticated);

}  // namespace tributary::server
