// ProxyFromWinHttp (platform/system_proxy.h): WinHTTP's proxy settings as
// text, turned into libcurl's. Portable, so it is tested on Linux too.
#include <sstream>
#include <vector>

#include "platform/system_proxy.h"

namespace tributary::agent {
namespace {

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : text) {
    if (c == ';' || c == ' ' || c == '\t' || c == ',') {
      if (!part.empty()) parts.push_back(part);
      part.clear();
    } else {
      part.push_back(c);
    }
  }
  if (!part.empty()) parts.push_back(part);
  return parts;
}

std::string WithoutScheme(const std::string& address) {
  auto at = address.find("://");
  return at == std::string::npos ? address : address.substr(at + 3);
}

}  // namespace

std::optional<SystemProxy> ProxyFromWinHttp(const std::string& proxy, const std::string& bypass) {
  std::string https, plain, http;
  for (const std::string& entry : Split(proxy)) {
    auto equals = entry.find('=');
    if (equals == std::string::npos) {
      if (plain.empty()) plain = WithoutScheme(entry);
      continue;
    }
    std::string scheme = entry.substr(0, equals);
    std::string address = WithoutScheme(entry.substr(equals + 1));
    if (scheme == "https" && https.empty()) https = address;
    if (scheme == "http" && http.empty()) http = address;
  }
  std::string chosen = !https.empty() ? https : !plain.empty() ? plain : http;
  if (chosen.empty()) return std::nullopt;
  SystemProxy result;
  result.url = "http://" + chosen;
  for (const std::string& entry : Split(bypass)) {
    std::string host = entry;
    if (host == "<local>") {
      host = "localhost,127.0.0.1,::1";  // libcurl has no "every name without a dot"
    } else if (host.rfind("*.", 0) == 0) {
      host = host.substr(1);  // *.nhs.uk -> .nhs.uk, a suffix
    } else if (host.find('*') != std::string::npos) {
      continue;  // 10.* and other patterns libcurl cannot take
    }
    if (!result.no_proxy.empty()) result.no_proxy += ",";
    result.no_proxy += host;
  }
  return result;
}

}  // namespace tributary::agent
