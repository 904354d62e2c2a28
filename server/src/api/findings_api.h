// POST /v1/findings/publish (admin): publishes the cross-practice findings of
// every month whose data changed since the last run, now rather than at the
// next scheduled run (validation/findings_publisher.h). Answers
// {"months": N, "notices": M}.
#pragma once

#include "http/http_message.h"
#include "users/user.h"
#include "validation/findings_publisher.h"

namespace tributary::server {

class FindingsApi {
 public:
  explicit FindingsApi(FindingsPublisher& publisher) : publisher_(publisher) {}

  // Throws Error(kForbidden) for anyone but an admin.
  HttpResponse Publish(const HttpRequest& request, const User& user);

 private:
  FindingsPublisher& publisher_;
};

}  // namespace tributary::server
