// A browser's view of the web pages for unit tests: the returns fixture's
// small ICS and people, a cookie jar, and form posts that carry the CSRF
// token of the last page read, driven through the router (no sockets).
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "returns_fixture.h"
#include "web/html.h"

namespace tributary::server::testing {

struct WebFixture : ReturnsFixture {
  std::map<std::string, std::string> cookies;
  std::string last_page;

  // The value of `name` in a response's Set-Cookie headers, or nullopt.
  static std::optional<std::string> SetCookie(const HttpResponse& r, const std::string& name) {
    for (const auto& [header, value] : r.headers) {
      if (header == "Set-Cookie" && value.rfind(name + "=", 0) == 0) return value;
    }
    return std::nullopt;
  }
  static std::string Header(const HttpResponse& r, const std::string& name) {
    for (const auto& [header, value] : r.headers) {
      if (header == name) return value;
    }
    return "";
  }

  HttpResponse Send(const std::string& method, const std::string& target,
                    const std::string& body = "") {
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    std::string jar;
    for (const auto& [name, value] : cookies) {
      if (!jar.empty()) jar += "; ";
      jar += name + "=" + value;
    }
    if (!jar.empty()) request.headers["cookie"] = jar;
    if (method == "POST") request.headers["content-type"] = "application/x-www-form-urlencoded";
    HttpResponse response = router.Handle(request);
    for (const auto& [header, value] : response.headers) {
      if (header != "Set-Cookie") continue;
      std::string pair = value.substr(0, value.find(';'));
      std::string name = pair.substr(0, pair.find('='));
      std::string content = pair.substr(pair.find('=') + 1);
      if (value.find("Max-Age=0") != std::string::npos) {
        cookies.erase(name);
      } else {
        cookies[name] = content;
      }
    }
    if (response.content_type.rfind("text/html", 0) == 0) last_page = response.body;
    return response;
  }
  HttpResponse Get(const std::string& target) { return Send("GET", target); }

  // The csrf_token of the last page's first form.
  std::string Csrf() const {
    const std::string mark = "name=\"csrf_token\" value=\"";
    auto at = last_page.find(mark);
    if (at == std::string::npos) return "";
    at += mark.size();
    return last_page.substr(at, last_page.find('"', at) - at);
  }

  // POSTs `fields` (name=value, encoded here) with the last page's CSRF token.
  HttpResponse Post(const std::string& target, std::map<std::string, std::string> fields,
                    bool with_csrf = true) {
    if (with_csrf) fields["csrf_token"] = Csrf();
    std::string body;
    for (const auto& [name, value] : fields) {
      if (!body.empty()) body += "&";
      body += web::UrlEncode(name) + "=" + web::UrlEncode(value);
    }
    return Send("POST", target, body);
  }

  // Signs in with `token` through the sign-in page; REQUIREs it worked.
  void SignIn(const std::string& token) {
    REQUIRE(Get("/login").status == 200);
    HttpResponse r = Post("/login", {{"token", token}});
    REQUIRE(r.status == 303);
    REQUIRE(cookies.count("tributary_session") == 1);
  }

  // The page's <h1> text, tags removed.
  static std::string H1(const std::string& html) {
    auto start = html.find("<h1");
    if (start == std::string::npos) return "";
    start = html.find('>', start) + 1;
    std::string inner = html.substr(start, html.find("</h1>", start) - start);
    std::string text;
    bool in_tag = false;
    for (char c : inner) {
      if (c == '<') in_tag = true;
      if (!in_tag) text += c;
      if (c == '>') in_tag = false;
    }
    return text;
  }
};

}  // namespace tributary::server::testing
