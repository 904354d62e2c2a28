// One request to the web pages as a page reads it: the path, the query and
// form parameters already decoded, and who is signed in.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "http/http_message.h"
#include "users/session_book.h"
#include "users/user.h"

namespace tributary::server::web {

struct WebRequest {
  const HttpRequest& http;
  std::string path;                          // without the query string
  std::map<std::string, std::string> query;  // the query string's parameters
  std::map<std::string, std::string> form;   // an application/x-www-form-urlencoded body's
  const User* user = nullptr;                // signed in; null on the sign-in page
  const Session* session = nullptr;          // with `user`
  std::int64_t now_ms = 0;                   // when it is answered (the store's clock)

  // A parameter's value, or "" when absent.
  std::string Query(const std::string& name) const { return Find(query, name); }
  std::string Form(const std::string& name) const { return Find(form, name); }
  // The CSRF token forms must carry ("" without a session).
  std::string Csrf() const { return session != nullptr ? session->csrf : std::string(); }

 private:
  static std::string Find(const std::map<std::string, std::string>& m, const std::string& name) {
    auto it = m.find(name);
    return it == m.end() ? std::string() : it->second;
  }
};

}  // namespace tributary::server::web
