// Every page's frame in the NHS.UK design system: the document head, skip
// link, header with the service name, the sections the user may open and
// "Sign out", the main wrapper and the footer; and the headers every web
// answer carries (Content-Security-Policy without inline script,
// frame-ancestors 'none', no caching of pages).
//
// Pure functions of their arguments; thread-safe.
#pragma once

#include <string>

#include "http/http_message.h"
#include "users/user.h"

namespace tributary::server::web {

// The sections in the header's navigation.
enum class Section { kNone, kReturns, kRollups, kPeriods, kAgents };

struct PageContent {
  std::string title;  // the page's h1 and the start of its <title>
  std::string body;   // HTML inside <main>, after nothing: it writes its own h1
  Section section = Section::kNone;
  int status = 200;
};

// The page for a signed-in `user` (null: signed out), its forms' CSRF token
// `csrf` (for "Sign out").
HttpResponse RenderPage(const PageContent& content, const User* user, const std::string& csrf);

// 303 See Other to `location` (after a form's POST, or to sign in).
HttpResponse Redirect(const std::string& location);

// Adds the security headers to a web answer (pages, assets, redirects).
void AddSecurityHeaders(HttpResponse& response);

}  // namespace tributary::server::web
