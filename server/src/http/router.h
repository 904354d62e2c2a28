// Turns requests into responses: routes, authentication by client
// certificate, body decoding, and the mapping of every error to an HTTP status
// and a stable error code. No sockets here, so it is tested directly.
//
// Routes (docs/protocol.md):
//   GET  /healthz          liveness and store check
//   GET  /metrics          Prometheus text format (metrics/server_metrics.h)
//   GET  /v1/ca            the CA certificate (PEM), checked by agents against a fingerprint
//   GET  /v1/crl           the CA's revocation list (DER): revoked agents' certificates
//   POST /v1/enrol         token + CSR -> certificate
//   POST /v1/sync/push     a batch of changes (client certificate required)
//   POST /v1/renew         a new certificate for a new key (client certificate required)
//   POST /v1/agent/heartbeat  the agent's health (client certificate required)
//   POST /v1/person-keys   blinded person identifiers evaluated with the server's
//                          OPRF key (client certificate required;
//                          person_keys/person_key_service.h)
//   the people's API       every route api/people_api.h lists (an API token:
//                          Authorization: Bearer TOKEN; GET /v1/openapi.json without)
//   anything else          the web pages (web/web_app.h), signed in with a session cookie
//
// Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include "api/people_api.h"
#include "enrol/agent_registry.h"
#include "enrol/enrolment_service.h"
#include "http/http_message.h"
#include "ingest/push_ingest.h"
#include "metrics/server_metrics.h"
#include "person_keys/person_key_service.h"
#include "store/server_store.h"
#include "tributary/protocol/codec.h"
#include "validation/findings_publisher.h"
#include "web/web_app.h"
#include "web/web_assets.h"

namespace tributary::server {

struct RouterLimits {
  std::size_t max_decompressed_bytes = 64 * 1024 * 1024;
  protocol::DecodeLimits decode;
};

class Router {
 public:
  // Everything passed in must outlive the router.
  Router(ServerStore& store, EnrolmentService& enrolment, PushIngest& ingest,
         PersonKeyService& person_keys, FindingsPublisher& findings, const web::WebAssets& assets,
         RouterLimits limits = {});

  // Never throws: every failure becomes an error response.
  HttpResponse Handle(const HttpRequest& request);
  // The QuickHandler for the HTTPS layer: /healthz while the store's last
  // check is fresh; everything else goes to Handle on a worker.
  std::optional<HttpResponse> AnswerQuickly(const HttpRequest& request);
  // When the certificate the server presents, and its CA's, end: shown on
  // /metrics. Call before serving.
  void PresentCertificates(std::chrono::system_clock::time_point server_not_after,
                           std::chrono::system_clock::time_point ca_not_after) {
    metrics_.SetCertificateEnds(server_not_after, ca_not_after);
  }

 private:
  // One of the server's own routes: the people's API has its table
  // (api/people_api.cc), the pages theirs (web/web_app.cc).
  struct ServerRoute {
    const char* method;
    const char* path;
    bool agent;  // called by agents with their client certificate (docs/protocol.md)
    HttpResponse (Router::*answer)(const HttpRequest& request);
  };
  static const std::vector<ServerRoute>& ServerRoutes();
  static const ServerRoute* FindServerRoute(const std::string& path);

  HttpResponse Answer(const HttpRequest& request);
  HttpResponse Route(const HttpRequest& request);
  HttpResponse Health(const HttpRequest& request);
  HttpResponse Metrics(const HttpRequest& request);
  HttpResponse CaCertificate(const HttpRequest& request);
  HttpResponse RevocationList(const HttpRequest& request);
  bool StoreCheckedRecently() const;
  HttpResponse Enrol(const HttpRequest& request);
  HttpResponse Push(const HttpRequest& request);
  HttpResponse Pull(const HttpRequest& request);
  HttpResponse Renew(const HttpRequest& request);
  HttpResponse Heartbeat(const HttpRequest& request);
  HttpResponse PersonKeys(const HttpRequest& request);
  // The enrolled, unrevoked agent behind the client certificate, or the 401.
  std::variant<AgentIdentity, HttpResponse> AuthenticateAgent(const HttpRequest& request);
  // The person behind the request's bearer token, or nullopt.
  std::optional<User> Authenticate(const HttpRequest& request);

  ServerStore& store_;
  EnrolmentService& enrolment_;
  PushIngest& ingest_;
  PersonKeyService& person_keys_;
  RouterLimits limits_;
  PeopleApi people_;
  web::WebApp web_;
  ServerMetrics metrics_;
  // When the store last answered a health check; /healthz asks it at most
  // once a second, so a load balancer's polling costs no database work.
  std::atomic<std::int64_t> store_checked_at_ms_{0};
};

}  // namespace tributary::server
