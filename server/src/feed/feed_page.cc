#include "feed/feed_page.h"

#include <charconv>

namespace tributary::server {
namespace {

std::optional<std::int64_t> WholeNumber(std::string_view text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != text.npos) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string FeedPosition::ToString() const {
  return std::to_string(change) + "." + std::to_string(event);
}

std::optional<FeedPosition> FeedPosition::Parse(std::string_view text) {
  auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto change = WholeNumber(text.substr(0, dot));
  auto event = WholeNumber(text.substr(dot + 1));
  if (!change || !event) return std::nullopt;
  return FeedPosition{*change, *event};
}

}  // namespace tributary::server
