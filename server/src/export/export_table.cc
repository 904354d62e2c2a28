#include "export/export_table.h"

#include "rollup/rollup_row.h"

namespace tributary::server {

std::string ExportTable::Csv() const {
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    out += (i == 0 ? "" : ",") + CsvField(std::string(columns[i].name));
  }
  out += "\r\n";
  for (const std::vector<std::string>& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) out += (i == 0 ? "" : ",") + CsvField(row[i]);
    out += "\r\n";
  }
  return out;
}

}  // namespace tributary::server
