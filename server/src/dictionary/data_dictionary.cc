#include "dictionary/data_dictionary.h"

#include <set>
#include <string_view>
#include <vector>

#include "export/appointments_export.h"
#include "export/workforce_export.h"
#include "rollup/measures.h"
#include "rollup/rollup_row.h"
#include "tributary/common/code_lists.h"
#include "tributary/common/dataset.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

namespace json = boost::json;

std::string_view TypeName(FieldType type) {
  switch (type) {
    case FieldType::kText:
      return "text";
    case FieldType::kCode:
      return "code";
    case FieldType::kDate:
      return "date";
    case FieldType::kPeriod:
      return "period";
    case FieldType::kDecimal:
      return "decimal";
    case FieldType::kCount:
      return "integer";
    case FieldType::kPracticeCode:
      return "practice code";
    case FieldType::kOrgCode:
      return "ODS code";
    case FieldType::kPersonKey:
      return "person key";
  }
  return "text";
}

// The tidy rollup columns (rollup/rollup_row.h), each described.
struct RollupColumn {
  std::string_view name, type, code_list, definition;
};
const std::vector<RollupColumn>& RollupColumnsDescribed() {
  static const std::vector<RollupColumn> columns = {
      {"level", "code", "practice, pcn, place, ics", "The level of the organisation."},
      {"code", "ODS code", "", "The organisation's ODS code."},
      {"period", "period", "", "The month, YYYY-MM."},
      {"dataset", "code", "workforce, appointments, coverage", "The dataset the figure is of."},
      {"measure", "code", "the measures below", "What the figure measures."},
      {"staff_group", "code", "STAFF_GROUP", "Breakdown by staff group; empty for a total."},
      {"staff_role", "code", "STAFF_ROLE", "Breakdown by role; empty for a total."},
      {"hcp_type", "code", "HCP_TYPE", "Breakdown by HCP type; empty for a total."},
      {"appt_mode", "code", "APPT_MODE", "Breakdown by mode; empty for a total."},
      {"appt_status", "code", "APPT_STATUS", "Breakdown by status; empty for a total."},
      {"booking_interval", "code", "TIME_BETWEEN_BOOK_AND_APPT",
       "Breakdown by booking interval; empty for a total."},
      {"value", "decimal", "",
       "The figure: a plain decimal, at most six places, never an exponent."},
      {"practices_covered", "integer", "", "How many practices' records the figure includes."},
  };
  // Every column the rollups write is described, in their order.
  std::vector<std::string> names;
  for (const RollupColumn& c : columns) names.emplace_back(c.name);
  if (names != RollupColumns()) {
    throw Error::Internal("the data dictionary's rollup columns differ from the rollups'");
  }
  return columns;
}

struct ExportRoute {
  std::string_view route;
  std::string_view shape;
  const std::vector<ExportColumn>& columns;
};
std::vector<ExportRoute> Exports() {
  return {{"/v1/exports/appointments",
           "NHS England's Appointments in General Practice practice-level crosstab",
           AppointmentsExportColumns()},
          {"/v1/exports/workforce",
           "NHS England's General Practice Workforce practice-level (high level) CSV",
           WorkforceExportColumns()}};
}

// Every code list a dataset field names, in the datasets' order.
std::vector<const CodeList*> CodeLists() {
  std::vector<const CodeList*> out;
  std::set<std::string_view> seen;
  for (const DatasetDecl* d : datasets::All()) {
    for (const FieldDecl& f : d->fields) {
      if (f.codes != nullptr && seen.insert(f.codes->name).second) out.push_back(f.codes);
    }
  }
  return out;
}

std::string Number(double value) {
  std::string text = FormatValue(value);
  return text;
}

std::string Cell(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

json::object DataDictionaryJson() {
  json::array datasets;
  for (const DatasetDecl* d : datasets::All()) {
    json::array fields;
    for (const FieldDecl& f : d->fields) {
      json::value range = nullptr;
      if (f.type == FieldType::kDecimal || f.type == FieldType::kCount) {
        range = json::object{{"min", f.min}, {"max", f.max > 0 ? json::value(f.max) : nullptr}};
      }
      fields.push_back({{"name", f.name},
                        {"csv_column", f.column},
                        {"type", TypeName(f.type)},
                        {"unit", f.unit},
                        {"code_list", f.codes ? f.codes->name : ""},
                        {"required", f.required},
                        {"key", f.key},
                        {"leaves_the_practice", !f.local_only},
                        {"range", std::move(range)},
                        {"definition", f.definition}});
    }
    datasets.push_back({{"name", d->name}, {"fields", std::move(fields)}});
  }
  json::array columns;
  for (const RollupColumn& c : RollupColumnsDescribed()) {
    columns.push_back({{"name", c.name},
                       {"type", c.type},
                       {"code_list", c.code_list},
                       {"definition", c.definition}});
  }
  json::array measures;
  for (const MeasureDecl& m : Measures()) {
    measures.push_back({{"dataset", m.dataset},
                        {"measure", m.name},
                        {"unit", m.unit},
                        {"breakdowns", m.breakdowns},
                        {"definition", m.definition}});
  }
  json::array exports;
  for (const ExportRoute& e : Exports()) {
    json::array export_columns;
    for (const ExportColumn& c : e.columns) {
      export_columns.push_back({{"name", c.name},
                                {"type", c.type},
                                {"unit", c.unit},
                                {"code_list", c.code_list},
                                {"definition", c.definition}});
    }
    exports.push_back(
        {{"route", e.route}, {"shape", e.shape}, {"columns", std::move(export_columns)}});
  }
  json::array lists;
  for (const CodeList* list : CodeLists()) {
    json::array values;
    for (std::string_view v : list->values) values.emplace_back(v);
    lists.push_back({{"name", list->name}, {"values", std::move(values)}});
  }
  return {
      {"datasets", std::move(datasets)},
      {"rollups", json::object{{"columns", std::move(columns)}, {"measures", std::move(measures)}}},
      {"exports", std::move(exports)},
      {"code_lists", std::move(lists)}};
}

std::string DataDictionaryMarkdown() {
  std::string md =
      "# Data dictionary\n\n"
      "Every field Tributary carries, every rollup measure and every export column, with its "
      "type,\n"
      "unit, code list and definition. Generated from the declarations the programs run on\n"
      "(`tributary-server dictionary --format markdown`; the same as JSON at `GET "
      "/v1/dictionary`),\n"
      "and checked against them by a test: do not edit it by hand.\n\n"
      "## Datasets (what practices send)\n\n"
      "Fields marked \"stays at the practice\" are held in the agent's store and never sent; the\n"
      "server sees the person key instead (docs/design.md invariant 7).\n";
  for (const DatasetDecl* d : datasets::All()) {
    md += "\n### " + std::string(d->name) + "\n\n";
    md += "| field | CSV column | type | unit | code list | key | sent | definition |\n";
    md += "|---|---|---|---|---|---|---|---|\n";
    for (const FieldDecl& f : d->fields) {
      std::string type(TypeName(f.type));
      if (f.type == FieldType::kDecimal || f.type == FieldType::kCount) {
        type += " " + Number(f.min) + " to " + (f.max > 0 ? Number(f.max) : "any");
      }
      md += "| `" + std::string(f.name) + "` | " +
            (f.column.empty() ? "(derived)" : "`" + std::string(f.column) + "`") + " | " + type +
            " | " + Cell(f.unit) + " | " + (f.codes ? std::string(f.codes->name) : "") + " | " +
            (f.key ? "yes" : "") + " | " + (f.local_only ? "stays at the practice" : "yes") +
            " | " + Cell(f.definition) + (f.required ? "" : " Optional.") + " |\n";
    }
  }
  md += "\n## Rollups (`GET /v1/rollups`, tidy)\n\n| column | type | code list | definition |\n";
  md += "|---|---|---|---|\n";
  for (const RollupColumn& c : RollupColumnsDescribed()) {
    md += "| `" + std::string(c.name) + "` | " + std::string(c.type) + " | " + Cell(c.code_list) +
          " | " + Cell(c.definition) + " |\n";
  }
  md += "\n### Measures\n\n| dataset | measure | unit | breakdowns | definition |\n";
  md += "|---|---|---|---|---|\n";
  for (const MeasureDecl& m : Measures()) {
    md += "| " + std::string(m.dataset) + " | `" + std::string(m.name) + "` | " + Cell(m.unit) +
          " | " + Cell(m.breakdowns) + " | " + Cell(m.definition) + " |\n";
  }
  md += "\n## Exports (CSV in NHS England's shapes)\n";
  for (const ExportRoute& e : Exports()) {
    md += "\n### `GET " + std::string(e.route) + "`\n\n" + std::string(e.shape) + ".\n\n";
    md += "| column | type | unit | code list | definition |\n|---|---|---|---|---|\n";
    for (const ExportColumn& c : e.columns) {
      md += "| `" + std::string(c.name) + "` | " + std::string(c.type) + " | " + Cell(c.unit) +
            " | " + Cell(c.code_list) + " | " + Cell(c.definition) + " |\n";
    }
  }
  md +=
      "\n## Code lists\n\nValues exactly as NHS England spells them (the double spaces are "
      "NHS's).\n";
  for (const CodeList* list : CodeLists()) {
    md += "\n### " + std::string(list->name) + "\n\n";
    for (std::string_view v : list->values) md += "- `" + std::string(v) + "`\n";
  }
  return md;
}

}  // namespace tributary::server
