// The web pages for PCN managers and ICS teams (docs/web.md), served by
// `tributary-server serve` beside the API:
//
//   GET  /                       to the returns roster, or to sign in
//   GET  /login, POST /login     sign in with an access token ("Access token")
//   POST /logout                 sign out: the session ends on the server
//   GET  /returns                the roster (web/roster_page.h)
//   GET  /returns/PRACTICE/DATASET/YYYY-MM, POST .../approve|query|resolve
//                                one return (web/return_page.h)
//   GET  /returns/approve-all, POST /returns/approve-all
//                                bulk approval (web/bulk_approval_page.h)
//   GET  /rollups, GET /rollups/download   (web/rollups_page.h)
//   GET  /periods, POST /periods/close|reopen|publish  (web/periods_page.h)
//   GET  /agents                 (web/agents_page.h)
//   GET  /assets/...             the design system's files (web/web_assets.h)
//
// Signing in swaps the token for a session cookie (HttpOnly, Secure,
// SameSite=Strict, Max-Age): users/session_book.h. Every POST carries the
// session's CSRF token (the sign-in form a cookie-bound one of its own) and
// is refused with a 403 page without it. Every page is read and acted on
// through the people's API as the signed-in user (web/api_client.h), so
// scope and rules are the API's. Errors are pages; internals stay in the log.
//
// Thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "api/people_api.h"
#include "http/http_message.h"
#include "orgs/org_directory.h"
#include "reconcile/record_readings.h"
#include "tributary/common/hlc.h"
#include "users/session_book.h"
#include "users/user_service.h"
#include "web/api_client.h"
#include "web/page_readings.h"
#include "web/web_assets.h"
#include "web/web_request.h"

namespace tributary::server::web {

class WebApp {
 public:
  // All four must outlive the app. The store is reached only through the
  // sign-in services and the pages' read-only ones (web/page_readings.h).
  WebApp(ServerStore& store, const Clock& clock, PeopleApi& api, const WebAssets& assets);

  // Answers one request for a page or an asset. Never throws.
  HttpResponse Handle(const HttpRequest& request);

 private:
  // A page: what answers a GET or a POST of its path.
  using Page = HttpResponse (*)(const WebRequest&, const ApiClient&, PageReadings&);
  struct PageRoute {
    const char* path;
    bool prefix;          // `path` ends in "/" and names every path below it
    Page get;             // null: a GET is refused (405) with `refused`
    Page post;            // null: a POST is refused (405) with `refused`
    const char* refused;  // what to do instead, in the error page
  };
  static const std::vector<PageRoute>& PageRoutes();

  // Signs the request in (`session`, `user`), checks its CSRF token and
  // hands it to its page.
  HttpResponse Route(WebRequest& request, std::optional<Session>& session,
                     std::optional<User>& user);
  HttpResponse Dispatch(const WebRequest& request);
  HttpResponse ServeAsset(const WebRequest& request) const;
  HttpResponse LoginPage(const WebRequest& request, const std::string& error, int status) const;
  HttpResponse SignIn(const WebRequest& request);
  HttpResponse SignOut(const WebRequest& request);

  const Clock& clock_;
  PeopleApi& api_;
  const WebAssets& assets_;
  SessionBook sessions_;
  UserService users_;
  OrgDirectory orgs_;
  RecordReadings records_;
};

}  // namespace tributary::server::web
