// How a page asks the people's API (api/people_api.h) for what it shows and
// does: in-process, as the signed-in user, with the very requests an API
// client would send. The pages hold no rules of their own.
//
// A refusal comes back as the Error the API would have answered with
// (kForbidden for 403, kNotFound for 404, kConflict for 409, kInvalidArgument
// for 400, ...) and its message, so a page shows the API's own words.
// Thread-safe as far as PeopleApi is; one client per request.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "api/people_api.h"
#include "users/user.h"

namespace tributary::server::web {

class ApiClient {
 public:
  // Both must outlive the client.
  ApiClient(PeopleApi& api, const User& user) : api_(api), user_(user) {}

  // GET `target` ("/v1/returns?period=2026-10"): the JSON answer. Throws
  // Error as above.
  boost::json::value Get(const std::string& target) const;
  // The raw body of GET `target` (CSV).
  std::string GetText(const std::string& target) const;
  // POST `body` to `path`: the JSON answer. Throws Error as above.
  boost::json::value Post(const std::string& path, const boost::json::object& body) const;

  const User& user() const { return user_; }

 private:
  HttpResponse Call(const std::string& method, const std::string& target, std::string body) const;

  PeopleApi& api_;
  const User& user_;
};

}  // namespace tributary::server::web
