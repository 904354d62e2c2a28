#include "web/html.h"

#include <cmath>
#include <cstdio>

namespace tributary::server::web {

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '.' || u == '_' || u == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string Thousands(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[static_cast<std::size_t>(i)];
  }
  return value < 0 ? "-" + out : out;
}

std::string Figure(double value) {
  double whole = std::round(value);
  if (std::fabs(value - whole) < 1e-9 && std::fabs(whole) < 9e15) {
    return Thousands(static_cast<long long>(whole));
  }
  char text[64];
  std::snprintf(text, sizeof text, "%.2f", value);
  std::string s = text;
  auto dot = s.find('.');
  std::string integral = s.substr(0, dot);
  bool negative = !integral.empty() && integral[0] == '-';
  long long magnitude = std::stoll(negative ? integral.substr(1) : integral);
  return (negative ? "-" : "") + Thousands(magnitude) + s.substr(dot);
}

}  // namespace tributary::server::web
