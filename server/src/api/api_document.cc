#include "api/api_document.h"

#include "api/api_request.h"

namespace tributary::server {

HttpResponse OpenApiResponse(const HttpRequest& request) {
  api::QueryParams(request, {});
  HttpResponse response;
  response.content_type = "application/json";
  response.body = std::string(OpenApiDocument());
  return response;
}

}  // namespace tributary::server
