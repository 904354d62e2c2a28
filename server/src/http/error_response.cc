#include "http/error_response.h"

#include <boost/json.hpp>

namespace tributary::server {
namespace {

namespace json = boost::json;

// `text` with every byte that is not part of a well-formed UTF-8 sequence
// replaced by U+FFFD: a detail may quote a caller's bytes, and the answer must
// stay JSON that any client can parse.
std::string WellFormedUtf8(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80           ? 1
                         : (byte >> 5) == 0x6  ? 2
                         : (byte >> 4) == 0xE  ? 3
                         : (byte >> 3) == 0x1E ? 4
                                               : 0;
    bool ok = length != 0 && i + length <= text.size() && (length != 2 || byte >= 0xC2);
    for (std::size_t k = 1; ok && k < length; ++k) {
      ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (ok && length >= 3) {  // no overlong forms, no surrogates, nothing past U+10FFFF
      auto next = static_cast<unsigned char>(text[i + 1]);
      ok = !(byte == 0xE0 && next < 0xA0) && !(byte == 0xED && next >= 0xA0) &&
           !(byte == 0xF0 && next < 0x90) && !(byte == 0xF4 && next >= 0x90) && byte <= 0xF4;
    }
    if (ok) {
      out.append(text, i, length);
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

HttpResponse Problem(int status, const std::string& code, const std::string& detail,
                     json::object extensions) {
  json::object problem{{"type", "urn:tributary:problem:" + code},
                       {"title", ReasonPhrase(status)},
                       {"status", status},
                       {"detail", WellFormedUtf8(detail)},
                       {"code", code}};
  for (auto& [name, value] : extensions) problem[name] = std::move(value);
  HttpResponse response;
  response.status = status;
  response.content_type = kProblemContentType;
  response.body = json::serialize(problem);
  return response;
}

}  // namespace

HttpResponse ErrorResponse(int status, std::string code, std::string message,
                           std::optional<std::uint64_t> resume_from) {
  json::object extensions;
  if (resume_from) extensions["resume_from"] = *resume_from;
  return Problem(status, code, message, std::move(extensions));
}

HttpResponse InternalErrorResponse(std::string code, const std::string& request_id) {
  return Problem(
      500, code,
      "internal error (request " + request_id + "): the server's log has the cause under this id",
      json::object{{"request_id", request_id}});
}

HttpResponse MethodNotAllowed(const std::string& allowed_methods) {
  HttpResponse response = ErrorResponse(405, "method_not_allowed", "use " + allowed_methods);
  response.headers.emplace_back("Allow", allowed_methods);
  return response;
}

HttpResponse WithProtocolErrorObject(HttpResponse response) {
  if (response.content_type != kProblemContentType) return response;
  json::object problem = json::parse(response.body).as_object();
  json::object error{{"code", problem.at("code")}, {"message", problem.at("detail")}};
  if (const json::value* resume = problem.if_contains("resume_from")) {
    error["resume_from"] = *resume;
  }
  problem["v"] = "1.0";
  problem["error"] = std::move(error);
  response.body = json::serialize(problem);
  return response;
}

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInvalidInput:
    case ErrorCode::kProtocol:
      return 400;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Server Error" : "Client Error";
  }
}

}  // namespace tributary::server
