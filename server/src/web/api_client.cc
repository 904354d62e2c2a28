#include "web/api_client.h"

#include "tributary/common/error.h"

namespace tributary::server::web {
namespace {

namespace json = boost::json;

// The Error an API problem document stands for, with its detail.
Error ErrorFrom(const HttpResponse& response) {
  std::string message = "the request was refused";
  std::error_code ec;
  json::value body = json::parse(response.body, ec);
  if (!ec && body.is_object()) {
    if (const json::value* detail = body.as_object().if_contains("detail");
        detail != nullptr && detail->is_string()) {
      message = std::string(detail->as_string());
    }
  }
  switch (response.status) {
    case 400:
      return Error::InvalidArgument(message);
    case 401:
      return Error::Unauthorized(message);
    case 403:
      return Error::Forbidden(message);
    case 404:
      return Error::NotFound(message);
    case 405:
      return Error::InvalidArgument(message);
    case 409:
      return Error::Conflict(message);
    case 503:
      return Error::Unavailable(message);
    default:
      return Error::Internal(message);
  }
}

}  // namespace

HttpResponse ApiClient::Call(const std::string& method, const std::string& target,
                             std::string body) const {
  HttpRequest request;
  request.method = method;
  request.target = target;
  request.body = std::move(body);
  if (!request.body.empty()) request.headers["content-type"] = "application/json";
  std::string path = target.substr(0, target.find('?'));
  HttpResponse response = api_.Handle(path, request, &user_);
  if (response.status >= 300) throw ErrorFrom(response);
  return response;
}

json::value ApiClient::Get(const std::string& target) const {
  return json::parse(Call("GET", target, {}).body);
}

std::string ApiClient::GetText(const std::string& target) const {
  return Call("GET", target, {}).body;
}

json::value ApiClient::Post(const std::string& path, const json::object& body) const {
  return json::parse(Call("POST", path, json::serialize(body)).body);
}

}  // namespace tributary::server::web
