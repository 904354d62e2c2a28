#include "api/pagination.h"

#include <boost/json.hpp>

#include "http/query_string.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

std::optional<std::size_t> WholeNumber(const std::string& text) {
  if (text.empty() || text.size() > 12 || text.find_first_not_of("0123456789") != text.npos) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(std::stoull(text));
}

// The CSV's lines (each with its CRLF): a quoted field may hold a line break,
// so lines are cut only outside quotes.
std::vector<std::string> CsvLines(const std::string& csv) {
  std::vector<std::string> lines;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '"') quoted = !quoted;
    if (csv[i] == '\n' && !quoted) {
      lines.push_back(csv.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  if (start < csv.size()) lines.push_back(csv.substr(start));
  return lines;
}

}  // namespace

PageRequest ReadPageRequest(const HttpRequest& request) {
  PageRequest page;
  auto params = ParseQuery(request.target);
  if (!params) return page;  // the operation refuses the malformed query itself
  if (auto it = params->find("limit"); it != params->end()) {
    std::optional<std::size_t> limit = WholeNumber(it->second);
    if (!limit || *limit < 1 || *limit > kMaxPageLimit) {
      throw Error::InvalidArgument("limit must be a whole number from 1 to " +
                                   std::to_string(kMaxPageLimit) + ", not '" + it->second + "'");
    }
    page.limit = limit;
    page.asked = true;
  }
  if (auto it = params->find("cursor"); it != params->end()) {
    std::optional<std::size_t> offset = WholeNumber(it->second);
    if (!offset) {
      throw Error::InvalidArgument("cursor must be a next_cursor a page gave, not '" + it->second +
                                   "'");
    }
    page.offset = *offset;
    page.asked = true;
  }
  return page;
}

void Paginate(HttpResponse& response, const std::string& member, const PageRequest& page) {
  if (!page.asked || response.status != 200) return;
  std::size_t limit = page.limit.value_or(kMaxPageLimit);
  if (response.content_type.rfind("text/csv", 0) == 0) {
    std::vector<std::string> lines = CsvLines(response.body);
    if (lines.empty()) return;
    std::size_t rows = lines.size() - 1;
    std::size_t first = std::min(page.offset, rows);
    std::size_t last = std::min(rows, first + limit);
    std::string body = lines[0];
    for (std::size_t i = first; i < last; ++i) body += lines[i + 1];
    response.body = std::move(body);
    if (last < rows) response.headers.emplace_back("Next-Cursor", std::to_string(last));
    return;
  }
  boost::json::value parsed = boost::json::parse(response.body);
  boost::json::object& answer = parsed.as_object();
  boost::json::array& items = answer.at(member).as_array();
  std::size_t first = std::min(page.offset, items.size());
  std::size_t last = std::min(items.size(), first + limit);
  boost::json::array kept(items.begin() + static_cast<std::ptrdiff_t>(first),
                          items.begin() + static_cast<std::ptrdiff_t>(last));
  bool more = last < items.size();
  answer[member] = std::move(kept);
  answer["next_cursor"] = more ? boost::json::value(std::to_string(last)) : nullptr;
  if (more) response.headers.emplace_back("Next-Cursor", std::to_string(last));
  response.body = boost::json::serialize(answer);
}

}  // namespace tributary::server
