// The only translation unit that includes Boost.Beast (it is slow to compile).
//
// Shape: a Listener role (HttpsServer::Impl::DoAccept) that only accepts; a
// Session per connection that owns its TLS stream on its own strand, with a
// timeout before every handshake, read, write and shutdown; request handling
// on a bounded worker pool, the response posted back to the session's strand.
#include "http/https_server.h"

#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/error_response.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/log.h"
#include "tributary/common/pki.h"

namespace tributary::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";
constexpr std::chrono::seconds kShutdownTimeout{5};
// After refusing a request it has not read whole, the server reads and
// discards what the client is still sending, for a moment and up to a limit,
// before closing: closing with unread bytes makes the kernel reset the
// connection, and the reset destroys the refusal before the client reads it.
constexpr std::chrono::seconds kDrainTimeout{2};
constexpr std::size_t kDrainBytes = 1024 * 1024;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

using RequestParser = http::request_parser<http::string_body>;

std::size_t BodyLimit(const HttpsServerLimits& limits, bool authenticated) {
  return authenticated ? limits.max_body_bytes
                       : std::min(limits.max_body_bytes, limits.max_unauthenticated_body_bytes);
}

// One parser per request, with the server's limits. ParseHttpRequest builds
// its parser here too, so the fuzzed path is the served path.
void ApplyLimits(RequestParser& parser, const HttpsServerLimits& limits, bool authenticated) {
  parser.body_limit(BodyLimit(limits, authenticated));
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
}

// The answer to a request that could not be read, or nullopt when the
// connection is simply closed (the peer went away, or sent bytes that are not
// HTTP at all).
std::optional<HttpResponse> AnswerToReadFailure(beast::error_code ec,
                                                const HttpsServerLimits& limits,
                                                bool authenticated) {
  if (ec == http::error::body_limit) {
    return ErrorResponse(413, "too_large",
                         "the body is larger than " +
                             std::to_string(BodyLimit(limits, authenticated)) + " bytes" +
                             (authenticated ? "" : " (the limit before a client certificate)"));
  }
  if (ec == http::error::header_limit) {
    return ErrorResponse(431, "too_large", "the request headers are too large");
  }
  if (ec.category() == beast::error_code(http::error::bad_target).category()) {
    return ErrorResponse(400, "malformed", "malformed HTTP request");
  }
  return std::nullopt;
}

HttpRequest ToHttpRequest(http::request<http::string_body>& message) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers[Lower(field.name_string())] = std::string(field.value());
  }
  request.body = std::move(message.body());
  return request;
}

// The verified client certificate of a finished handshake, if any.
std::optional<PeerCertificate> PeerOf(SSL* ssl) {
  if (SSL_get_verify_result(ssl) != X509_V_OK) return std::nullopt;
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr) return std::nullopt;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return std::nullopt;
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  pki::CertificateInfo info =
      pki::ReadCertificate(std::string(data, static_cast<std::size_t>(size)));
  return PeerCertificate{info.common_name, info.serial_hex, info.not_after};
}

}  // namespace

class HttpsServer::Impl {
 public:
  class Session;

  Impl(HttpsServerOptions options, RequestHandler handler, QuickHandler quick)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        quick_(std::move(quick)),
        ssl_context_(ssl::context::tls_server),
        acceptor_(io_),
        workers_(options_.limits.worker_threads) {
    ConfigureTls();
  }

  ~Impl() {
    workers_.stop();
    workers_.join();
  }

  std::uint16_t Start() {
    beast::error_code ec;
    auto address = net::ip::make_address(options_.listen_address, ec);
    if (ec)
      throw Error::InvalidArgument("cannot listen on '" + options_.listen_address +
                                   "': " + ec.message());
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      throw Error::Unavailable("cannot listen on " + options_.listen_address + ":" +
                               std::to_string(options_.port) + ": " + ec.message());
    }
    DoAccept();
    return acceptor_.local_endpoint().port();
  }

  void Run() {
    std::vector<std::thread> extra;
    for (std::size_t i = 1; i < options_.limits.io_threads; ++i) {
      extra.emplace_back([this] { io_.run(); });
    }
    io_.run();
    for (auto& t : extra) t.join();
    std::thread grace;
    {
      std::lock_guard lock(stop_mutex_);
      run_finished_ = true;
      grace = std::move(grace_thread_);
    }
    stop_cv_.notify_all();
    if (grace.joinable()) grace.join();
  }

  void Stop() {
    {
      std::lock_guard lock(stop_mutex_);
      if (stopping_.exchange(true)) return;
      // After the grace period, whatever is still open is closed by force.
      grace_thread_ = std::thread([this] {
        std::unique_lock wait_lock(stop_mutex_);
        if (!stop_cv_.wait_for(wait_lock, options_.limits.shutdown_grace,
                               [this] { return run_finished_; })) {
          log::Warning("server_forced_stop", "requests still open after the grace period");
          io_.stop();
        }
      });
    }
    net::post(io_, [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      CloseIdleSessions();
    });
  }

  bool stopping() const { return stopping_.load(); }
  const HttpsServerLimits& limits() const { return options_.limits; }
  net::thread_pool& workers() { return workers_; }
  net::io_context& io() { return io_; }

  // Takes a place among the pending requests, or refuses when all are taken.
  bool Admit(const HttpRequest& request) {
    if (request.target == "/healthz") {
      pending_requests_.fetch_add(1);
      return true;
    }
    std::size_t pending = pending_requests_.load();
    do {
      if (pending >= options_.limits.max_pending_requests) return false;
    } while (!pending_requests_.compare_exchange_weak(pending, pending + 1));
    return true;
  }
  void Release() { pending_requests_.fetch_sub(1); }

  std::optional<HttpResponse> AnswerQuickly(const HttpRequest& request) {
    if (!quick_) return std::nullopt;
    return quick_(request);
  }

  HttpResponse Handle(const HttpRequest& request) {
    std::string cause;
    try {
      return handler_(request);
    } catch (const std::exception& e) {
      cause = e.what();
    } catch (...) {
      cause = "unknown exception";
    }
    std::string id = digest::RandomHex(8);
    log::Error("handler_failed", "request=" + id + " " + cause);
    return InternalErrorResponse("internal", id);
  }

  // Counts a connection from `source` in, or refuses it when that address
  // already holds its share.
  bool AdmitConnection(const std::string& source) {
    std::lock_guard lock(sessions_mutex_);
    std::size_t& open = connections_by_source_[source];
    if (open >= options_.limits.max_connections_per_source) {
      if (open == 0) connections_by_source_.erase(source);
      return false;
    }
    ++open;
    ++connections_;
    return true;
  }

  void Register(Session* s, std::weak_ptr<Session> weak) {
    std::lock_guard lock(sessions_mutex_);
    sessions_.emplace(s, std::move(weak));
  }
  void Unregister(Session* s, const std::string& source) {
    std::lock_guard lock(sessions_mutex_);
    sessions_.erase(s);
    auto it = connections_by_source_.find(source);
    if (it != connections_by_source_.end() && --it->second == 0) connections_by_source_.erase(it);
    --connections_;
  }

 private:
  void ConfigureTls() {
    ssl_context_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                             ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                             ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX* ctx = ssl_context_.native_handle();
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    // The server's order of ciphers decides, not the client's: the strongest
    // both know, whatever a client lists first. No TLS renegotiation.
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_set_cipher_list(ctx, kCipherList) != 1) {
      throw Error::Crypto("cannot set the TLS 1.2 cipher list");
    }
    // Resumed sessions must keep the client-certificate context.
    static const unsigned char kContext[] = "tributary";
    SSL_CTX_set_session_id_context(ctx, kContext, sizeof kContext - 1);
    try {
      ssl_context_.use_certificate_chain(
          net::buffer(options_.certificate_pem.data(), options_.certificate_pem.size()));
      ssl_context_.use_private_key(net::buffer(options_.key_pem.data(), options_.key_pem.size()),
                                   ssl::context::pem);
      if (!options_.client_ca_pem.empty()) {
        ssl_context_.add_certificate_authority(
            net::buffer(options_.client_ca_pem.data(), options_.client_ca_pem.size()));
        // Ask for a client certificate but do not require one: enrolment comes first.
        ssl_context_.set_verify_mode(ssl::verify_peer);
      }
    } catch (const boost::system::system_error& e) {
      throw Error::Crypto(std::string("TLS configuration: ") + e.what());
    }
  }

  void DoAccept();
  void CloseIdleSessions();

  HttpsServerOptions options_;
  RequestHandler handler_;
  QuickHandler quick_;
  net::io_context io_;
  ssl::context ssl_context_;
  tcp::acceptor acceptor_;
  net::thread_pool workers_;

  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::size_t> pending_requests_{0};
  std::mutex sessions_mutex_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  std::unordered_map<std::string, std::size_t> connections_by_source_;

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool run_finished_ = false;
  std::thread grace_thread_;

  friend class Session;
};

class HttpsServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  // `source` is the peer's address, already counted in by AdmitConnection.
  Session(Impl& server, tcp::socket socket, std::string source)
      : server_(server),
        stream_(std::move(socket), server.ssl_context_),
        remote_(std::move(source)) {}

  ~Session() { server_.Unregister(this, remote_); }

  void Start() {
    server_.Register(this, weak_from_this());
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoHandshake, shared_from_this()));
  }

  // Called on any thread when the server stops: a session waiting for its
  // next request is closed; one handling a request closes after replying.
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) beast::get_lowest_layer(self->stream_).cancel();
    });
  }

 private:
  void DoHandshake() {
    beast::get_lowest_layer(stream_).expires_after(server_.limits().handshake_timeout);
    stream_.async_handshake(ssl::stream_base::server,
                            beast::bind_front_handler(&Session::OnHandshake, shared_from_this()));
  }

  void OnHandshake(beast::error_code ec) {
    if (ec) {
      log::Write(log::Level::kDebug, "tls_handshake_failed", ec.message());
      return;  // the socket closes as the session dies
    }
    try {
      peer_ = PeerOf(stream_.native_handle());
    } catch (const std::exception& e) {
      log::Warning("peer_certificate_unreadable", e.what());
      peer_.reset();
    }
    DoRead();
  }

  void DoRead() {
    if (server_.stopping()) return DoClose();
    parser_.emplace();
    ApplyLimits(*parser_, server_.limits(), peer_.has_value());
    idle_ = true;
    beast::get_lowest_layer(stream_).expires_after(first_request_ ? server_.limits().read_timeout
                                                                  : server_.limits().idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    idle_ = false;
    first_request_ = false;
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == beast::error::timeout) {
      return DoClose();
    }
    if (ec) {
      if (auto answer = AnswerToReadFailure(ec, server_.limits(), peer_.has_value())) {
        drain_before_close_ = true;
        return Reply(*answer, false);
      }
      return DoClose();
    }
    auto& message = parser_->get();
    HttpRequest request = ToHttpRequest(message);
    request.peer = peer_;
    request.remote_address = remote_;
    bool keep_alive = message.keep_alive();
    version_ = message.version();
    beast::get_lowest_layer(stream_).expires_never();
    if (auto answer = server_.AnswerQuickly(request)) return Reply(*answer, keep_alive);
    if (!server_.Admit(request)) {
      HttpResponse busy = ErrorResponse(429, "busy", "the server is busy; retry later");
      busy.headers.emplace_back("Retry-After",
                                std::to_string(server_.limits().busy_retry_after.count()));
      return Reply(busy, keep_alive);
    }
    // Keep the io_context running while the worker holds the request.
    auto guard = net::make_work_guard(server_.io());
    net::post(server_.workers(), [self = shared_from_this(), request = std::move(request),
                                  keep_alive, guard = std::move(guard)]() mutable {
      HttpResponse response = self->server_.Handle(request);
      self->server_.Release();
      net::post(self->stream_.get_executor(),
                [self, response = std::move(response), keep_alive, guard = std::move(guard)]() {
                  self->Reply(response, keep_alive);
                });
    });
  }

  void Reply(const HttpResponse& response, bool keep_alive) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), version_);
    res->set(http::field::server, "tributary");
    if (!response.content_type.empty()) res->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) res->insert(name, value);
    res->keep_alive(keep_alive && !server_.stopping());
    res->body() = response.body;
    res->prepare_payload();
    response_ = res;
    beast::get_lowest_layer(stream_).expires_after(server_.limits().write_timeout);
    http::async_write(stream_, *res,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    bool keep_alive = response_ && response_->keep_alive();
    response_.reset();
    if (ec) return DoClose();
    if (!keep_alive && drain_before_close_) {
      // One deadline for the whole drain: a trickle cannot stretch it.
      beast::get_lowest_layer(stream_).expires_after(kDrainTimeout);
      return DoDrain();
    }
    if (!keep_alive) return DoClose();
    DoRead();
  }

  void DoDrain() {
    if (!drain_scratch_) drain_scratch_ = std::make_unique<std::array<char, 16 * 1024>>();
    stream_.async_read_some(net::buffer(*drain_scratch_),
                            beast::bind_front_handler(&Session::OnDrain, shared_from_this()));
  }

  void OnDrain(beast::error_code ec, std::size_t bytes) {
    drained_ += bytes;
    if (ec || drained_ >= kDrainBytes) return DoClose();
    DoDrain();
  }

  void DoClose() {
    beast::get_lowest_layer(stream_).expires_after(kShutdownTimeout);
    stream_.async_shutdown(beast::bind_front_handler(&Session::OnShutdown, shared_from_this()));
  }

  void OnShutdown(beast::error_code) {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
  }

  Impl& server_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::shared_ptr<http::response<http::string_body>> response_;
  std::optional<PeerCertificate> peer_;
  std::string remote_;
  unsigned version_ = 11;
  bool idle_ = false;
  bool first_request_ = true;
  bool drain_before_close_ = false;
  std::size_t drained_ = 0;
  std::unique_ptr<std::array<char, 16 * 1024>> drain_scratch_;  // only while draining
};

void HttpsServer::Impl::DoAccept() {
  acceptor_.async_accept(net::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Keep accepting: one failed accept (e.g. out of descriptors) is not the end.
      log::Warning("accept_failed", ec.message());
    } else {
      beast::error_code peer_error;
      std::string source = socket.remote_endpoint(peer_error).address().to_string();
      beast::error_code ignored;
      if (peer_error) {
        socket.close(ignored);  // gone before it was accepted
      } else if (connections_.load() >= options_.limits.max_connections) {
        log::Warning("connection_refused", "at the connection limit");
        socket.close(ignored);
      } else if (!AdmitConnection(source)) {
        log::Warning("connection_refused",
                     source + " holds " +
                         std::to_string(options_.limits.max_connections_per_source) +
                         " connections, its limit");
        socket.close(ignored);
      } else {
        std::make_shared<Session>(*this, std::move(socket), std::move(source))->Start();
      }
    }
    DoAccept();
  });
}

void HttpsServer::Impl::CloseIdleSessions() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mutex_);
    for (auto& [raw, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->CloseIfIdle();
}

HttpsServer::HttpsServer(HttpsServerOptions options, RequestHandler handler, QuickHandler quick)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(quick))) {}
HttpsServer::~HttpsServer() = default;
std::uint16_t HttpsServer::Start() { return impl_->Start(); }
void HttpsServer::Run() { impl_->Run(); }
void HttpsServer::Stop() { impl_->Stop(); }

std::variant<HttpRequest, HttpResponse, std::monostate> ParseHttpRequest(
    std::string_view bytes, const HttpsServerLimits& limits, bool authenticated) {
  RequestParser parser;
  ApplyLimits(parser, limits, authenticated);
  parser.eager(true);
  beast::error_code ec;
  std::size_t used = 0;
  while (!ec && !parser.is_done() && used < bytes.size()) {
    used += parser.put(net::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec == http::error::need_more) break;
  }
  if (!parser.is_done()) {
    if (ec && ec != http::error::need_more) {
      if (auto answer = AnswerToReadFailure(ec, limits, authenticated)) return *answer;
    }
    return std::monostate{};
  }
  return ToHttpRequest(parser.get());
}

}  // namespace tributary::server
