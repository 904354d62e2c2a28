#include "tributary/common/csv_reader.h"

#include <catch2/catch.hpp>

using tributary::CsvReader;
using tributary::CsvRecord;

namespace {
std::vector<CsvRecord> ReadAll(std::string_view text, CsvReader* out_reader = nullptr) {
  CsvReader reader(text);
  std::vector<CsvRecord> records;
  CsvRecord record;
  while (reader.Next(record)) records.push_back(record);
  if (out_reader) *out_reader = reader;
  return records;
}
}  // namespace

TEST_CASE("csv: plain fields and LF line ends") {
  auto r = ReadAll("a,b,c\n1,2,3\n");
  REQUIRE(r.size() == 2);
  CHECK(r[1].fields == std::vector<std::string>{"1", "2", "3"});
  CHECK(r[1].line == 2);
}

TEST_CASE("csv: CRLF line ends and a missing final newline") {
  auto r = ReadAll("a,b\r\n1,2\r\n3,4");
  REQUIRE(r.size() == 3);
  CHECK(r[2].fields == std::vector<std::string>{"3", "4"});
  CHECK(r[2].line == 3);
}

TEST_CASE("csv: UTF-8 byte-order mark is not part of the first field") {
  auto r = ReadAll("\xEF\xBB\xBFPRACTICE_CODE,X\n");
  REQUIRE(r.size() == 1);
  CHECK(r[0].fields[0] == "PRACTICE_CODE");
}

TEST_CASE("csv: quoted fields with commas, doubled quotes and newlines") {
  auto r = ReadAll("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nlast,row\n");
  REQUIRE(r.size() == 4);
  CHECK(r[1].fields == std::vector<std::string>{"x, y", "say \"hi\""});
  CHECK(r[2].fields == std::vector<std::string>{"two\nlines", "z"});
  CHECK(r[2].line == 3);
  CHECK(r[3].line == 5);  // the embedded newline counts as a physical line
}

TEST_CASE("csv: empty fields are kept, blank lines skipped") {
  auto r = ReadAll("a,,c\n\n\n,,\n");
  REQUIRE(r.size() == 2);
  CHECK(r[0].fields == std::vector<std::string>{"a", "", "c"});
  CHECK(r[1].fields == std::vector<std::string>{"", "", ""});
  CHECK(r[1].line == 4);
}

TEST_CASE("csv: an unclosed quote is an error naming the line it starts on") {
  CsvReader reader("a\n\"never closed\nmore\n");
  CsvRecord record;
  REQUIRE(reader.Next(record));
  REQUIRE_FALSE(reader.Next(record));
  REQUIRE(reader.failed());
  CHECK(reader.error().line == 2);
  CHECK(reader.error().reason.find("never closed") != std::string::npos);
}

TEST_CASE("csv: a quote inside an unquoted field is an error") {
  CsvReader reader("ab\"c,d\n");
  CsvRecord record;
  REQUIRE_FALSE(reader.Next(record));
  CHECK(reader.failed());
  CHECK(reader.error().column == 1);
}

TEST_CASE("csv: text after a closing quote is an error") {
  CsvReader reader("x,\"ab\"c\n");
  CsvRecord record;
  REQUIRE_FALSE(reader.Next(record));
  CHECK(reader.failed());
  CHECK(reader.error().column == 2);
}
