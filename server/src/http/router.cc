#include "http/router.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "enrol/agent_service.h"
#include "http/error_response.h"
#include "http/query_string.h"
#include "notices/notice_service.h"
#include "store/settings.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/log.h"
#include "tributary/protocol/compression.h"
#include "users/user_service.h"

namespace tributary::server {
namespace {

HttpResponse DecodeFailure(const protocol::DecodeError& error) {
  int status = error.code == protocol::DecodeErrorCode::kTooLarge ? 413 : 400;
  return ErrorResponse(status, std::string(protocol::DecodeErrorCodeName(error.code)),
                       error.field + ": " + error.message);
}

// The target's path without its query string.
std::string PathOf(const std::string& target) { return target.substr(0, target.find('?')); }

// A failure of the server's own: the store's and the system's words stay in
// the log under a request id, and the caller gets the id to quote.
HttpResponse InternalError(const HttpRequest& request, const std::string& code,
                           const std::string& cause) {
  std::string id = digest::RandomHex(8);
  log::Error("request_failed", "request=" + id + " " + PathOf(request.target) + " " + cause);
  return InternalErrorResponse(code, id);
}

}  // namespace

Router::Router(ServerStore& store, EnrolmentService& enrolment, PushIngest& ingest,
               PersonKeyService& person_keys, FindingsPublisher& findings,
               const web::WebAssets& assets, RouterLimits limits)
    : store_(store),
      enrolment_(enrolment),
      ingest_(ingest),
      person_keys_(person_keys),
      limits_(limits),
      people_(store, findings),
      web_(store, store.clock(), people_, assets) {}

HttpResponse Router::Handle(const HttpRequest& request) {
  HttpResponse response = Answer(request);
  // Agents of protocol 1.0 read a refusal from its error object.
  const ServerRoute* route = FindServerRoute(PathOf(request.target));
  if (route != nullptr && route->agent) response = WithProtocolErrorObject(std::move(response));
  // Browsers are told to use HTTPS only, on every answer (the API's too),
  // and, unless a page said more, not to sniff, frame or refer it on.
  response.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
  auto has = [&response](const char* name) {
    for (const auto& [header, value] : response.headers) {
      if (header == name) return true;
    }
    return false;
  };
  if (!has("X-Content-Type-Options"))
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (!has("X-Frame-Options")) response.headers.emplace_back("X-Frame-Options", "DENY");
  if (!has("Referrer-Policy")) response.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (!has("Content-Security-Policy")) {
    response.headers.emplace_back("Content-Security-Policy",
                                  "default-src 'none'; frame-ancestors 'none'");
  }
  metrics_.CountRequest(PathOf(request.target), response.status);
  return response;
}

HttpResponse Router::Answer(const HttpRequest& request) {
  try {
    return Route(request);
  } catch (const Error& e) {
    int status = HttpStatusFor(e.code());
    if (status == 500)
      return InternalError(request, std::string(ErrorCodeName(e.code())), e.what());
    if (status > 500) log::Error("request_failed", PathOf(request.target) + " " + e.what());
    return ErrorResponse(status, std::string(ErrorCodeName(e.code())), e.what());
  } catch (const std::exception& e) {
    return InternalError(request, "internal", e.what());
  }
}

const std::vector<Router::ServerRoute>& Router::ServerRoutes() {
  static const std::vector<ServerRoute> routes = {
      {"GET", "/healthz", false, &Router::Health},
      {"GET", "/metrics", false, &Router::Metrics},
      {"GET", "/v1/ca", false, &Router::CaCertificate},
      {"GET", "/v1/crl", false, &Router::RevocationList},
      {"POST", "/v1/enrol", true, &Router::Enrol},
      {"GET", "/v1/sync/pull", true, &Router::Pull},
      {"POST", "/v1/sync/push", true, &Router::Push},
      {"POST", "/v1/renew", true, &Router::Renew},
      {"POST", "/v1/agent/heartbeat", true, &Router::Heartbeat},
      {"POST", "/v1/person-keys", true, &Router::PersonKeys},
  };
  return routes;
}

const Router::ServerRoute* Router::FindServerRoute(const std::string& path) {
  for (const ServerRoute& route : ServerRoutes()) {
    if (path == route.path) return &route;
  }
  return nullptr;
}

HttpResponse Router::Route(const HttpRequest& request) {
  std::string path = PathOf(request.target);
  if (const ServerRoute* route = FindServerRoute(path)) {
    if (request.method != route->method) return MethodNotAllowed(route->method);
    return (this->*route->answer)(request);
  }
  if (people_.Serves(path)) {
    std::optional<User> user = Authenticate(request);
    return people_.Handle(path, request, user ? &*user : nullptr);
  }
  if (path.rfind("/v1/", 0) == 0) return ErrorResponse(404, "not_found", "no route " + path);
  // Everything else is the web pages, which answer their own errors as pages.
  return web_.Handle(request);
}

std::optional<User> Router::Authenticate(const HttpRequest& request) {
  const std::string prefix = "Bearer ";
  std::string header = request.Header("authorization");
  if (header.rfind(prefix, 0) != 0 || header.size() == prefix.size()) return std::nullopt;
  return UserService(store_).FindByTokenHash(digest::Sha256Hex(header.substr(prefix.size())));
}

namespace {

constexpr std::int64_t kStoreCheckEveryMs = 1000;

std::int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

bool Router::StoreCheckedRecently() const {
  return SteadyMillis() - store_checked_at_ms_.load(std::memory_order_relaxed) < kStoreCheckEveryMs;
}

std::optional<HttpResponse> Router::AnswerQuickly(const HttpRequest& request) {
  if (request.method != "GET" || PathOf(request.target) != "/healthz" || !StoreCheckedRecently()) {
    return std::nullopt;
  }
  HttpResponse response;
  response.body = R"({"status":"ok"})";
  metrics_.CountRequest("/healthz", response.status);
  return response;
}

HttpResponse Router::Metrics(const HttpRequest&) {
  HttpResponse response;
  response.content_type = "text/plain; version=0.0.4";
  response.body = metrics_.Render(store_);
  return response;
}

HttpResponse Router::CaCertificate(const HttpRequest&) {
  HttpResponse response;
  response.content_type = "application/x-pem-file";
  response.body = enrolment_.ca_certificate_pem();
  return response;
}

HttpResponse Router::RevocationList(const HttpRequest&) {
  HttpResponse response;
  response.content_type = "application/pkix-crl";
  response.body = enrolment_.RevocationList();
  return response;
}

HttpResponse Router::Health(const HttpRequest&) {
  if (!StoreCheckedRecently()) {
    Settings(store_).Get("schema_version");  // throws, and so answers 500, if the store is unusable
    store_checked_at_ms_.store(SteadyMillis(), std::memory_order_relaxed);
  }
  HttpResponse response;
  response.body = R"({"status":"ok"})";
  return response;
}

HttpResponse Router::Enrol(const HttpRequest& request) {
  auto decoded = protocol::DecodeEnrolRequest(request.body, limits_.decode);
  if (!decoded.ok()) return DecodeFailure(decoded.error());
  protocol::EnrolReply reply = enrolment_.Enrol(decoded.value());
  log::Info("agent_enrolled", "practice=" + reply.practice);
  HttpResponse response;
  response.body = protocol::Encode(reply);
  return response;
}

std::variant<AgentIdentity, HttpResponse> Router::AuthenticateAgent(const HttpRequest& request) {
  if (!request.peer) {
    return ErrorResponse(401, "client_certificate_required",
                         "sync needs the agent's client certificate (enrol first)");
  }
  auto holder = AgentService(store_).Authenticate(request.peer->serial_hex);
  if (!holder) {
    return ErrorResponse(401, "unknown_certificate",
                         "this certificate was not issued to an enrolled agent");
  }
  if (holder->agent.revoked) {
    return ErrorResponse(401, "identity_revoked",
                         "this agent's identity was revoked; enrol again with a new token");
  }
  if (holder->retired) {
    return ErrorResponse(401, "certificate_retired",
                         "this certificate was replaced by a renewed one, which has been used; "
                         "the agent must use its newest certificate");
  }
  return holder->agent;
}

HttpResponse Router::Pull(const HttpRequest& request) {
  auto authenticated = AuthenticateAgent(request);
  if (auto* refused = std::get_if<HttpResponse>(&authenticated)) return *refused;
  const AgentIdentity& agent = std::get<AgentIdentity>(authenticated);
  auto params = ParseQuery(request.target);
  if (!params || params->size() != 1 || params->count("cursor") == 0) {
    return ErrorResponse(400, "invalid_argument", "use /v1/sync/pull?cursor=N");
  }
  const std::string& text = params->at("cursor");
  if (text.empty() || text.size() > 19 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return ErrorResponse(400, "invalid_argument", "cursor must be a whole number");
  }
  constexpr std::size_t kNoticesPerReply = 1000;
  AgentService(store_).MarkSeen(agent);
  protocol::PullReply reply =
      NoticeService(store_).Pull(agent.practice, std::stoull(text), kNoticesPerReply);
  reply.acknowledged_seq = AgentService(store_).AcknowledgedSeq(agent.agent_id);
  HttpResponse response;
  response.body = protocol::Encode(reply);
  return response;
}

HttpResponse Router::Renew(const HttpRequest& request) {
  auto authenticated = AuthenticateAgent(request);
  if (auto* refused = std::get_if<HttpResponse>(&authenticated)) return *refused;
  const AgentIdentity& agent = std::get<AgentIdentity>(authenticated);
  auto decoded = protocol::DecodeRenewRequest(request.body, limits_.decode);
  if (!decoded.ok()) return DecodeFailure(decoded.error());
  auto too_soon = [&](std::chrono::seconds wait) {
    log::Warning("renewal_too_soon", "practice=" + agent.practice + " agent=" + agent.agent_id);
    HttpResponse response =
        ErrorResponse(429, "renewal_too_soon",
                      "this agent renewed its certificate less than " +
                          std::to_string(kRenewalInterval.count() / 3600) +
                          " hours ago; it may renew again after Retry-After seconds");
    response.headers.emplace_back("Retry-After", std::to_string(wait.count()));
    return response;
  };
  if (std::chrono::seconds wait = enrolment_.RenewalWait(agent); wait.count() > 0) {
    return too_soon(wait);
  }
  std::optional<protocol::RenewReply> reply = enrolment_.Renew(agent, decoded.value());
  if (!reply) return too_soon(std::max(enrolment_.RenewalWait(agent), std::chrono::seconds(1)));
  log::Info("certificate_renewed", "practice=" + agent.practice + " agent=" + agent.agent_id);
  HttpResponse response;
  response.body = protocol::Encode(*reply);
  return response;
}

HttpResponse Router::Heartbeat(const HttpRequest& request) {
  auto authenticated = AuthenticateAgent(request);
  if (auto* refused = std::get_if<HttpResponse>(&authenticated)) return *refused;
  auto decoded = protocol::DecodeHeartbeat(request.body, limits_.decode);
  if (!decoded.ok()) return DecodeFailure(decoded.error());
  std::int64_t now =
      AgentService(store_).RecordHeartbeat(std::get<AgentIdentity>(authenticated), decoded.value());
  HttpResponse response;
  response.body = protocol::Encode(protocol::HeartbeatReply{
      static_cast<std::uint64_t>(std::max<std::int64_t>(0, now)), enrolment_.agent_trust_pem()});
  return response;
}

HttpResponse Router::PersonKeys(const HttpRequest& request) {
  auto authenticated = AuthenticateAgent(request);
  if (auto* refused = std::get_if<HttpResponse>(&authenticated)) return *refused;
  const AgentIdentity& agent = std::get<AgentIdentity>(authenticated);
  auto decoded = protocol::DecodePersonKeyRequest(request.body, limits_.decode);
  if (!decoded.ok()) return DecodeFailure(decoded.error());
  std::vector<oprf::Element> blinded;
  blinded.reserve(decoded.value().blinded.size());
  for (const std::string& hex : decoded.value().blinded)
    blinded.push_back(oprf::ElementFromHex(hex));
  PersonKeyAnswer answer = person_keys_.Evaluate(agent, blinded);
  if (answer.refused) {
    log::Warning("person_keys_refused", "practice=" + agent.practice + " agent=" + agent.agent_id +
                                            " asked=" + std::to_string(blinded.size()));
    std::int64_t now_s = store_.NowMillis() / 1000;
    HttpResponse response = ErrorResponse(
        429, "person_key_allowance",
        "practice " + agent.practice + " has been given its " + std::to_string(answer.daily_limit) +
            " person keys for today; this request is refused and audited. A practice keys its "
            "staff once; if it truly needs more today, the operator raises "
            "person_keys_per_day");
    response.headers.emplace_back("Retry-After", std::to_string(86400 - now_s % 86400));
    return response;
  }
  protocol::PersonKeyReply reply;
  reply.evaluated.reserve(answer.evaluated.size());
  for (const oprf::Element& e : answer.evaluated) reply.evaluated.push_back(oprf::ToHex(e));
  HttpResponse response;
  response.body = protocol::Encode(reply);
  return response;
}

HttpResponse Router::Push(const HttpRequest& request) {
  auto authenticated = AuthenticateAgent(request);
  if (auto* refused = std::get_if<HttpResponse>(&authenticated)) return *refused;
  const AgentIdentity& agent = std::get<AgentIdentity>(authenticated);
  std::string encoding = request.Header("content-encoding");
  std::string body;
  if (encoding == "zstd") {
    auto decompressed = protocol::Decompress(request.body, limits_.max_decompressed_bytes);
    if (!decompressed) {
      return ErrorResponse(400, "bad_encoding",
                           "the body is not valid zstd or expands past " +
                               std::to_string(limits_.max_decompressed_bytes) + " bytes");
    }
    body = std::move(*decompressed);
  } else if (encoding.empty() || encoding == "identity") {
    body = request.body;
  } else {
    return ErrorResponse(415, "unsupported_encoding",
                         "Content-Encoding '" + encoding + "' is not supported; use zstd");
  }
  auto decoded = protocol::DecodePushBatch(body, limits_.decode);
  if (!decoded.ok()) return DecodeFailure(decoded.error());
  auto started = std::chrono::steady_clock::now();
  IngestResult result = ingest_.Ingest(agent, decoded.value());
  metrics_.CountIngest(result.reply.accepted, std::chrono::steady_clock::now() - started);
  if (result.gap) {
    return ErrorResponse(409, "sequence_gap",
                         "the server has every change up to seq " +
                             std::to_string(result.resume_from - 1) + "; send from seq " +
                             std::to_string(result.resume_from),
                         result.resume_from);
  }
  HttpResponse response;
  response.body = protocol::Encode(result.reply);
  return response;
}

}  // namespace tributary::server
