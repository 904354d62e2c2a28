// The documents that describe the people's API, served without a token:
//   GET /v1/openapi.json   the OpenAPI 3.1 document of every people's route
//                          (server/src/api/openapi.json, compiled in)
//   GET /v1/dictionary     the data dictionary (dictionary/data_dictionary.h)
// Thread-safe: they are constant.
#pragma once

#include <string_view>

#include "http/http_message.h"

namespace tributary::server {

// The text of server/src/api/openapi.json as built.
std::string_view OpenApiDocument();

// GET /v1/openapi.json. Throws Error(kInvalidArgument) for any parameter.
HttpResponse OpenApiResponse(const HttpRequest& request);
// GET /v1/dictionary. Throws Error(kInvalidArgument) for any parameter.
HttpResponse DictionaryResponse(const HttpRequest& request);

}  // namespace tributary::server
