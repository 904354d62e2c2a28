#include "tributary/common/csv_reader.h"

namespace tributary {
namespace {
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
}  // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.substr(0, kUtf8Bom.size()) == kUtf8Bom) pos_ = kUtf8Bom.size();
}

bool CsvReader::Fail(std::size_t column, std::string reason) {
  failed_ = true;
  error_ = CsvSyntaxError{line_, column, std::move(reason)};
  return false;
}

bool CsvReader::Next(CsvRecord& record) {
  if (failed_) return false;
  // Skip blank lines between records.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;

  record.fields.clear();
  record.line = line_;
  std::string field;
  bool quoted = false;       // the current field began with a quote
  bool in_quotes = false;    // inside a quoted section
  bool after_quote = false;  // a quoted field closed; only , or end may follow
  while (true) {
    if (pos_ >= text_.size()) {
      if (in_quotes) {
        line_ = record.line;
        return Fail(record.fields.size() + 1, "quoted field is never closed");
      }
      record.fields.push_back(std::move(field));
      return true;
    }
    char c = text_[pos_++];
    if (in_quotes) {
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          field.push_back('"');
          ++pos_;
        } else {
          in_quotes = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line_;
        field.push_back(c);
      }
      continue;
    }
    if (c == ',') {
      record.fields.push_back(std::move(field));
      field.clear();
      quoted = after_quote = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      ++line_;
      record.fields.push_back(std::move(field));
      return true;
    } else if (after_quote) {
      return Fail(record.fields.size() + 1, "unexpected character after closing quote");
    } else if (c == '"') {
      if (!field.empty() || quoted) {
        return Fail(record.fields.size() + 1, "quote inside an unquoted field");
      }
      quoted = in_quotes = true;
    } else {
      field.push_back(c);
    }
  }
}

}  // namespace tributary
