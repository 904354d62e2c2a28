#include "http/query_string.h"

namespace tributary::server {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> Decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = HexValue(text[i + 1]);
      int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::optional<std::map<std::string, std::string>> ParseQuery(const std::string& target) {
  std::map<std::string, std::string> params;
  auto mark = target.find('?');
  if (mark == std::string::npos) return params;
  std::string query = target.substr(mark + 1);
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(start, end - start);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      auto name = Decode(pair.substr(0, eq));
      auto value = Decode(eq == std::string::npos ? "" : pair.substr(eq + 1));
      if (!name || !value || !params.emplace(*name, *value).second) return std::nullopt;
    }
    start = end + 1;
  }
  return params;
}

std::string WithoutParameters(const std::string& target, std::initializer_list<const char*> names) {
  auto mark = target.find('?');
  if (mark == std::string::npos) return target;
  std::string out = target.substr(0, mark);
  std::string query = target.substr(mark + 1);
  char separator = '?';
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(start, end - start);
    std::optional<std::string> name = Decode(pair.substr(0, pair.find('=')));
    bool dropped = false;
    for (const char* n : names) dropped |= name && *name == n;
    if (!pair.empty() && !dropped) {
      out += separator + pair;
      separator = '&';
    }
    start = end + 1;
  }
  return out;
}

}  // namespace tributary::server
