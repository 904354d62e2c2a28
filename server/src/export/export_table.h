// A data export as a table: its columns, declared once with what the data
// dictionary says of each (docs/data-dictionary.md), and its rows, written
// as CSV in the shape NHS England publishes (RFC 4180, CRLF, a header row).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tributary::server {

// One column of an export as the data dictionary describes it.
struct ExportColumn {
  std::string_view name;        // as the NHS file names it, e.g. "GP_CODE"
  std::string_view type;        // "text", "code", "date", "integer", "decimal"
  std::string_view unit;        // "" when none: "appointments", "people", "FTE"
  std::string_view code_list;   // the NHS code list its values come from, or ""
  std::string_view definition;  // a sentence
};

struct ExportTable {
  std::vector<ExportColumn> columns;
  std::vector<std::vector<std::string>> rows;  // each as long as `columns`

  // The header row and every row, each ending CRLF; fields quoted as needed.
  std::string Csv() const;
};

}  // namespace tributary::server
