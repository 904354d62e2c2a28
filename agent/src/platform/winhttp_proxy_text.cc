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

// "10.*", "192.168.*", "10.1.2.*" as libcurl's CIDR ranges; nullopt for
// anything else.
std::optional<std::string> AddressRange(const std::string& pattern) {
  if (pattern.size() < 3 || pattern.compare(pattern.size() - 2, 2, ".*") != 0) return std::nullopt;
  std::string prefix = pattern.substr(0, pattern.size() - 2);
  int parts = 0;
  std::size_t start = 0;
  while (start <= prefix.size()) {
    std::size_t dot = prefix.find('.', start);
    std::string part = prefix.substr(start, dot == std::string::npos ? dot : dot - start);
    if (part.empty() || part.size() > 3 ||
        part.find_first_not_of("0123456789") != std::string::npos || std::stoi(part) > 255) {
      return std::nullopt;
    }
    ++parts;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (parts > 3) return std::nullopt;
  std::string address = prefix;
  for (int i = parts; i < 4; ++i) address += ".0";
  return address + "/" + std::to_string(parts * 8);
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
  // As WinHTTP does for an https:// address: its own entry, else the one
  // for every scheme; an http= entry alone is not for HTTPS (direct).
  std::string chosen = !https.empty() ? https : plain;
  if (chosen.empty()) return std::nullopt;
  SystemProxy result;
  result.url = "http://" + chosen;
  for (const std::string& entry : Split(bypass)) {
    std::string host = entry;
    if (host == "<local>") {
      host = "localhost,127.0.0.1,::1";  // libcurl has no "every name without a dot"
    } else if (host.rfind("*.", 0) == 0) {
      host = host.substr(1);  // *.nhs.uk -> .nhs.uk, a suffix
    } else if (auto range = AddressRange(host)) {
      host = *range;  // 10.* -> 10.0.0.0/8
    } else if (host.find('*') != std::string::npos) {
      continue;  // other patterns libcurl cannot take
    }
    if (!result.no_proxy.empty()) result.no_proxy += ",";
    result.no_proxy += host;
  }
  return result;
}

}  // namespace tributary::agent
