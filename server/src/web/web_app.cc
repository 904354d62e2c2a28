#include "web/web_app.h"

#include <openssl/crypto.h>

#include "http/error_response.h"
#include "http/query_string.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/log.h"
#include "users/user_service.h"
#include "web/agents_page.h"
#include "web/api_client.h"
#include "web/bulk_approval_page.h"
#include "web/components.h"
#include "web/error_page.h"
#include "web/html.h"
#include "web/page_frame.h"
#include "web/page_readings.h"
#include "web/periods_page.h"
#include "web/return_page.h"
#include "web/rollups_page.h"
#include "web/roster_page.h"

namespace tributary::server::web {
namespace {

constexpr const char* kSessionCookie = "tributary_session";
constexpr const char* kLoginCookie = "tributary_login";

// The value of cookie `name` in the request's Cookie header, or "".
std::string CookieOf(const HttpRequest& request, const std::string& name) {
  std::string header = request.Header("cookie");
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(';', start);
    if (end == std::string::npos) end = header.size();
    std::string pair = header.substr(start, end - start);
    std::size_t first = pair.find_first_not_of(' ');
    if (first != std::string::npos) pair = pair.substr(first);
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    start = end + 1;
  }
  return "";
}

std::string Cookie(const std::string& name, const std::string& value, const std::string& path,
                   std::int64_t max_age_seconds) {
  return name + "=" + value + "; Path=" + path + "; Max-Age=" + std::to_string(max_age_seconds) +
         "; HttpOnly; Secure; SameSite=Strict";
}

bool SameSecret(const std::string& a, const std::string& b) {
  return !a.empty() && a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// Where to go after signing in: a path of this site, never another site's.
std::string SafeNext(const std::string& next) {
  if (next.size() < 2 || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
      next.find_first_of("\r\n") != std::string::npos || next.rfind("/login", 0) == 0) {
    return "/returns";
  }
  return next;
}

// Logs a page's failure under a new request id, which the page shows.
std::string Failed(const std::string& path, const std::string& cause) {
  std::string id = digest::RandomHex(8);
  log::Error("page_failed", "request=" + id + " " + path + " " + cause);
  return id;
}

}  // namespace

WebApp::WebApp(ServerStore& store, const Clock& clock, PeopleApi& api, const WebAssets& assets)
    : clock_(clock),
      api_(api),
      assets_(assets),
      sessions_(store),
      users_(store),
      orgs_(store),
      records_(store) {}

HttpResponse WebApp::Handle(const HttpRequest& http) {
  std::string path = http.target.substr(0, http.target.find('?'));
  WebRequest request{http, path, {}, {}, nullptr, nullptr, clock_.NowMillis()};
  // Who is signed in, held here so an error page can still name them.
  std::optional<Session> session;
  std::optional<User> user;
  try {
    return Route(request, session, user);
  } catch (const Error& e) {
    int status = HttpStatusFor(e.code());
    if (status < 500) return ErrorPage(status, e.what(), request.user, request.Csrf());
    return ErrorPage(status, Failed(path, e.what()), request.user, request.Csrf());
  } catch (const std::exception& e) {
    return ErrorPage(500, Failed(path, e.what()), request.user, request.Csrf());
  }
}

HttpResponse WebApp::Route(WebRequest& request, std::optional<Session>& session,
                           std::optional<User>& user) {
  const HttpRequest& http = request.http;
  if (request.path.rfind("/assets/", 0) == 0) return ServeAsset(request);

  auto query = ParseQuery(http.target);
  if (!query) throw Error::InvalidArgument("the address's query is malformed or repeats a name");
  request.query = std::move(*query);
  if (http.method == "POST") {
    auto form = ParseQuery("?" + http.body);
    if (!form) throw Error::InvalidArgument("the form's fields are malformed or repeat a name");
    request.form = std::move(*form);
  } else if (http.method != "GET" && http.method != "HEAD") {
    return ErrorPage(405, "use GET or POST", nullptr, "");
  }

  if (request.path == "/login") {
    if (http.method == "POST") return SignIn(request);
    return LoginPage(request, "", 200);
  }

  if (std::string id = CookieOf(http, kSessionCookie); !id.empty()) {
    session = sessions_.Use(id, request.now_ms);
    if (session) {
      user = users_.FindByTokenHash(session->token_hash);
      if (!user) sessions_.End(session->id);  // the token was revoked or expired
    }
  }
  if (!user) {
    if (http.method == "GET" && request.path != "/") {
      return Redirect("/login?next=" + UrlEncode(http.target));
    }
    return Redirect("/login");
  }
  request.session = &*session;
  request.user = &*user;
  if (http.method == "POST" && !SameSecret(request.Form("csrf_token"), session->csrf)) {
    log::Warning("csrf_refused", request.path + " user=" + user->user_id);
    throw Error::Forbidden(
        "this form did not come from this service or has expired: go back, reload the page "
        "and try again");
  }
  if (request.path == "/logout") {
    if (http.method != "POST")
      return ErrorPage(405, "sign out with the Sign out button", request.user, request.Csrf());
    return SignOut(request);
  }
  return Dispatch(request);
}

// The pages (docs/web.md), in the order they are matched: an exact path, or
// a prefix ending in "/". A null answer refuses the method with 405.
const std::vector<WebApp::PageRoute>& WebApp::PageRoutes() {
  static const std::vector<PageRoute> routes = {
      {"/", false,
       [](const WebRequest&, const ApiClient&, PageReadings&) { return Redirect("/returns"); },
       [](const WebRequest&, const ApiClient&, PageReadings&) { return Redirect("/returns"); }, ""},
      {"/returns", false, &RosterPage, nullptr, "this page takes no form"},
      {"/returns/approve-all", false,
       [](const WebRequest& r, const ApiClient& api, PageReadings&) {
         return BulkApprovalPreview(r, api);
       },
       [](const WebRequest& r, const ApiClient& api, PageReadings&) {
         return ConfirmBulkApproval(r, api);
       },
       ""},
      {"/returns/", true, &ReturnPages, &ReturnPages, ""},
      {"/rollups", false, &RollupsPage, nullptr, "this page takes no form"},
      {"/rollups/download", false,
       [](const WebRequest& r, const ApiClient& api, PageReadings&) {
         return RollupsDownload(r, api);
       },
       nullptr, "this page takes no form"},
      {"/periods", false,
       [](const WebRequest& r, const ApiClient& api, PageReadings&) { return PeriodsPage(r, api); },
       nullptr, "this page takes no form"},
      {"/periods/", true, nullptr,
       [](const WebRequest& r, const ApiClient& api, PageReadings&) {
         return PeriodAction(r, api);
       },
       "close, reopen and publish from the Months page"},
      {"/agents", false,
       [](const WebRequest& r, const ApiClient& api, PageReadings&) { return AgentsPage(r, api); },
       nullptr, "this page takes no form"},
  };
  return routes;
}

HttpResponse WebApp::Dispatch(const WebRequest& request) {
  ApiClient api(api_, *request.user);
  PageReadings readings{orgs_, records_};
  bool post = request.http.method == "POST";
  for (const PageRoute& route : PageRoutes()) {
    bool matches =
        route.prefix ? request.path.rfind(route.path, 0) == 0 : request.path == route.path;
    if (!matches) continue;
    Page page = post ? route.post : route.get;
    if (page == nullptr) {
      return ErrorPage(405, route.refused, request.user, request.Csrf());
    }
    return page(request, api, readings);
  }
  return ErrorPage(404, "", request.user, request.Csrf());
}

HttpResponse WebApp::ServeAsset(const WebRequest& request) const {
  const HttpRequest& http = request.http;
  const Asset* asset = assets_.Find(request.path.substr(std::string("/assets/").size()));
  if (http.method != "GET" && http.method != "HEAD") {
    return ErrorPage(405, "assets are only read", nullptr, "");
  }
  if (asset == nullptr) return ErrorPage(404, "", nullptr, "");
  HttpResponse response;
  response.headers.emplace_back("ETag", asset->etag);
  response.headers.emplace_back("Cache-Control", "public, max-age=3600");
  AddSecurityHeaders(response);
  if (http.Header("if-none-match") == asset->etag) {
    response.status = 304;
    response.content_type.clear();
    return response;
  }
  response.content_type = asset->content_type;
  response.body = asset->body;
  return response;
}

HttpResponse WebApp::LoginPage(const WebRequest& request, const std::string& error,
                               int status) const {
  std::string csrf = digest::RandomHex(32);
  std::string body;
  if (!error.empty()) body += ErrorSummary({{error, "#token"}});
  if (request.Query("signed_out") == "1") {
    body += Banner("You have signed out", "", true);
  }
  body += Heading("Sign in");
  body +=
      "<p>Sign in with the access token your ICS administrator gave you. It stays in your "
      "browser only as long as you are signed in.</p>";
  std::string field = "<div class=\"nhsuk-form-group";
  if (!error.empty()) field += " nhsuk-form-group--error";
  field += "\"><label class=\"nhsuk-label\" for=\"token\">Access token</label>";
  if (!error.empty()) {
    field +=
        "<span class=\"nhsuk-error-message\" id=\"token-error\"><span "
        "class=\"nhsuk-u-visually-hidden\">Error:</span> " +
        Escape(error) + "</span>";
  }
  field += "<input class=\"nhsuk-input";
  if (!error.empty()) field += " nhsuk-input--error";
  field +=
      "\" id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" "
      "spellcheck=\"false\"";
  if (!error.empty()) field += " aria-describedby=\"token-error\"";
  field += "></div>";
  std::string next = request.Query("next").empty() ? request.Form("next") : request.Query("next");
  if (!next.empty()) field += Hidden("next", SafeNext(next));
  body += PostForm("/login", csrf, field + Button("Sign in"));
  HttpResponse response = RenderPage({"Sign in", body, Section::kNone, status}, nullptr, "");
  response.headers.emplace_back("Set-Cookie", Cookie(kLoginCookie, csrf, "/login", 3600));
  return response;
}

HttpResponse WebApp::SignIn(const WebRequest& request) {
  if (!SameSecret(request.Form("csrf_token"), CookieOf(request.http, kLoginCookie))) {
    log::Warning("csrf_refused", "/login");
    throw Error::Forbidden(
        "this sign-in form did not come from this service or has expired: reload the page and "
        "sign in again");
  }
  std::string token = request.Form("token");
  if (token.empty()) return LoginPage(request, "Enter your access token", 400);
  std::string token_hash = digest::Sha256Hex(token);
  std::optional<User> user = users_.FindByTokenHash(token_hash);
  if (!user) {
    log::Warning("sign_in_refused", "unknown, expired or revoked token");
    return LoginPage(request, "The access token is not recognised, or has expired or been revoked",
                     401);
  }
  Session session = sessions_.Open(token_hash, request.now_ms);
  log::Info("signed_in", "user=" + user->user_id);
  HttpResponse response = Redirect(SafeNext(request.Form("next")));
  response.headers.emplace_back(
      "Set-Cookie", Cookie(kSessionCookie, session.id, "/", SessionBook::kLifetimeMillis / 1000));
  response.headers.emplace_back("Set-Cookie", Cookie(kLoginCookie, "", "/login", 0));
  return response;
}

HttpResponse WebApp::SignOut(const WebRequest& request) {
  sessions_.End(request.session->id);
  log::Info("signed_out", "user=" + request.user->user_id);
  HttpResponse response = Redirect("/login?signed_out=1");
  response.headers.emplace_back("Set-Cookie", Cookie(kSessionCookie, "", "/", 0));
  return response;
}

}  // namespace tributary::server::web
