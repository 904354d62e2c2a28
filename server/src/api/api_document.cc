#include "api/api_document.h"

#include "api/api_request.h"
#include "dictionary/data_dictionary.h"

namespace tributary::server {

HttpResponse OpenApiResponse(const HttpRequest& request) {
  api::QueryParams(request, {});
  HttpResponse response;
  response.content_type = "application/json";
  response.body = std::string(OpenApiDocument());
  return response;
}

HttpResponse DictionaryResponse(const HttpRequest& request) {
  api::QueryParams(request, {});
  HttpResponse response;
  response.body = boost::json::serialize(DataDictionaryJson());
  return response;
}

}  // namespace tributary::server
