#include "rollup/rollup_row.h"

#include <cmath>
#include <cstdio>
#include <utility>

#include "tributary/common/dataset.h"

namespace tributary::server {

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string FormatValue(double value) {
  double rounded = RoundedValue(value);
  char text[64];
  if (rounded == std::floor(rounded) && std::fabs(rounded) < 1e15) {
    std::snprintf(text, sizeof text, "%.0f", rounded);
  } else {
    std::snprintf(text, sizeof text, "%.6f", rounded);
    std::string s = text;
    while (s.back() == '0') s.pop_back();
    return s;
  }
  return text;
}

double RoundedValue(double value) { return std::round(value * 1e6) / 1e6; }

const std::vector<std::string>& RollupColumns() {
  static const std::vector<std::string> columns = {"level",
                                                   "code",
                                                   "period",
                                                   "dataset",
                                                   "measure",
                                                   "staff_group",
                                                   "staff_role",
                                                   "hcp_type",
                                                   "appt_mode",
                                                   "appt_status",
                                                   "booking_interval",
                                                   "value",
                                                   "practices_covered"};
  return columns;
}

std::string RollupsCsv(const std::vector<RollupRow>& rows) {
  std::string csv;
  for (const std::string& c : RollupColumns()) csv += (csv.empty() ? "" : ",") + c;
  csv += "\r\n";
  for (const RollupRow& r : rows) {
    for (const std::string* field :
         {&r.level, &r.code, &r.period, &r.dataset, &r.measure, &r.staff_group, &r.staff_role,
          &r.hcp_type, &r.appt_mode, &r.appt_status, &r.booking_interval}) {
      csv += CsvField(*field) + ",";
    }
    csv += FormatValue(r.value) + "," + std::to_string(r.practices_covered) + "\r\n";
  }
  return csv;
}

std::string RollupsJson(const std::vector<RollupRow>& rows) {
  // Written by hand so each value is the plain decimal the CSV has
  // ("57", "0.4375"), never the exponent form a JSON library may choose
  // ("5.7E1"): the same figure reads the same in both.
  std::string json = "{\"rows\":[";
  json.reserve(rows.size() * 260);
  bool first = true;
  for (const RollupRow& r : rows) {
    json += first ? "{" : ",{";
    first = false;
    const std::pair<const char*, const std::string*> fields[] = {
        {"level", &r.level},
        {"code", &r.code},
        {"period", &r.period},
        {"dataset", &r.dataset},
        {"measure", &r.measure},
        {"staff_group", &r.staff_group},
        {"staff_role", &r.staff_role},
        {"hcp_type", &r.hcp_type},
        {"appt_mode", &r.appt_mode},
        {"appt_status", &r.appt_status},
        {"booking_interval", &r.booking_interval}};
    for (const auto& [name, value] : fields) {
      json += "\"";
      json += name;
      json += "\":" + JsonString(*value) + ",";
    }
    json += "\"value\":" + FormatValue(r.value) +
            ",\"practices_covered\":" + std::to_string(r.practices_covered) + "}";
  }
  return json + "]}";
}

}  // namespace tributary::server
