// An RFC 4180 CSV reader: quoted fields with "" escapes, newlines inside
// quotes, LF or CRLF line ends, a UTF-8 byte-order mark, and blank lines
// skipped. It reports the physical line each record starts on, so errors can
// name FILE:LINE even when quoted fields span lines.
//
// Not thread-safe; the text must outlive the reader.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tributary {

struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;  // 1-based line the record starts on
};

struct CsvSyntaxError {
  std::size_t line = 0;
  std::size_t column = 0;  // 1-based field number
  std::string reason;
};

class CsvReader {
 public:
  explicit CsvReader(std::string_view text);

  // Reads the next record into `record`. Returns false at the end of the text
  // or on a syntax error; error() tells which.
  bool Next(CsvRecord& record);

  bool failed() const { return failed_; }
  const CsvSyntaxError& error() const { return error_; }

 private:
  bool Fail(std::size_t column, std::string reason);

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  bool failed_ = false;
  CsvSyntaxError error_;
};

}  // namespace tributary
