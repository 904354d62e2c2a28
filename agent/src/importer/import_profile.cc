#include "importer/import_profile.h"

#include <toml++/toml.h>

#include <set>

#include "importer/date_format.h"
#include "importer/nearest_code.h"
#include "tributary/common/error.h"

namespace tributary::agent {
namespace {

// What a row-level appointments export falls back on for a column it lacks:
// NHS England's own words for "not recorded".
const std::map<std::string, std::string>& AppointmentFallbacks() {
  static const std::map<std::string, std::string> fallbacks = {
      {"HCP_TYPE", "Unknown"},
      {"APPT_MODE", "Unknown"},
      {"APPT_STATUS", "Unknown"},
      {"NATIONAL_CATEGORY", "Unmapped"},
      {"TIME_BETWEEN_BOOK_AND_APPT", "Unknown / Data Quality"}};
  return fallbacks;
}

class ProfileReader {
 public:
  ProfileReader(const toml::table& table, const std::string& source)
      : table_(table), source_(source) {}

  ImportProfile Read() {
    ImportProfile p;
    p.source = source_;
    for (const auto& [key, node] : table_) {
      static const std::set<std::string> known = {
          "name",         "label",           "dataset",        "rows",
          "date_formats", "columns",         "defaults",       "values",
          "skip_values",  "keep_rows_where", "other_practices"};
      if (known.count(std::string(key.str())) == 0) {
        Fail(node, std::string(key.str()),
             "is not a setting of an import profile (docs/data.md \"Import profiles\")");
      }
    }
    p.name = Text("name");
    if (p.name.empty() ||
        p.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
      Fail(*table_.get("name"), "name", "must be lower-case letters, digits and dashes");
    }
    p.label = Text("label");
    std::string dataset = Text("dataset");
    p.dataset = datasets::Find(dataset);
    if (p.dataset == nullptr || p.dataset == &datasets::Submission()) {
      Fail(*table_.get("dataset"), "dataset", "must be workforce, appointments or list_size");
    }
    ReadRows(p);
    ReadDateFormats(p);
    if (const toml::node* other = table_.get("other_practices")) {
      std::string value = other->value_or(std::string());
      if (value != "skip" && value != "refuse")
        Fail(*other, "other_practices", "must be skip or refuse");
      p.skip_other_practices = value == "skip";
    }
    ReadColumns(p);
    ReadDefaults(p);
    ReadValues(p);
    ReadSkips(p);
    ReadKeepRows(p);
    Complete(p);
    return p;
  }

 private:
  [[noreturn]] void Fail(const toml::node& at, const std::string& key, const std::string& why) {
    throw Error::InvalidInput(source_ + ":" + std::to_string(at.source().begin.line) + ": " + key +
                              ": " + why);
  }
  [[noreturn]] void FailTop(const std::string& why) {
    throw Error::InvalidInput(source_ + ": " + why);
  }

  std::string Text(const char* key) {
    const toml::node* node = table_.get(key);
    if (node == nullptr) FailTop(std::string(key) + " is missing");
    if (!node->is_string()) Fail(*node, key, "must be a string");
    return node->as_string()->get();
  }

  const toml::table* Table(const char* key) {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return nullptr;
    if (!node->is_table()) Fail(*node, key, "must be a table ([" + std::string(key) + "])");
    return node->as_table();
  }

  // The Tributary columns this profile may name.
  bool Allowed(const ImportProfile& p, std::string_view column) const {
    if (p.rows == ProfileRows::kAppointments) {
      if (column == kBookedDateColumn) return true;
      if (column == "COUNT_OF_APPOINTMENTS") return false;
    }
    return p.dataset->FindColumn(column) != nullptr;
  }

  void CheckColumn(const ImportProfile& p, const toml::node& at, const std::string& key,
                   const std::string& column) {
    if (!Allowed(p, column)) {
      std::string names;
      for (std::string_view c : p.dataset->Columns()) {
        if (Allowed(p, c)) names += (names.empty() ? "" : ", ") + std::string(c);
      }
      if (p.rows == ProfileRows::kAppointments) names += ", " + std::string(kBookedDateColumn);
      Fail(at, key,
           "'" + column + "' is not a column of " + std::string(p.dataset->name) +
               " here (expected one of " + names + ")");
    }
  }

  void ReadRows(ImportProfile& p) {
    const bool appointments = p.dataset == &datasets::Appointments();
    const toml::node* node = table_.get("rows");
    std::string rows = node ? node->value_or(std::string()) : (appointments ? "counts" : "records");
    if (rows == "records" || (rows == "counts" && appointments)) {
      p.rows = appointments ? ProfileRows::kCounts : ProfileRows::kRecords;
    } else if (rows == "appointments" && appointments) {
      p.rows = ProfileRows::kAppointments;
    } else {
      Fail(*node, "rows",
           appointments ? "must be counts (a count per row) or appointments (a row per appointment)"
                        : "must be records for " + std::string(p.dataset->name));
    }
  }

  void ReadDateFormats(ImportProfile& p) {
    const toml::node* node = table_.get("date_formats");
    if (node == nullptr) {
      p.date_formats = {"iso", "ddMMMyyyy"};
      return;
    }
    if (!node->is_array() || node->as_array()->empty()) {
      Fail(*node, "date_formats", "must be a list of date patterns, e.g. [\"dd/mm/yyyy\"]");
    }
    for (const toml::node& f : *node->as_array()) {
      if (!f.is_string()) Fail(f, "date_formats", "must be a list of strings");
      std::string pattern = f.as_string()->get();
      if (std::string why = CheckDatePattern(pattern); !why.empty()) {
        Fail(f, "date_formats", "'" + pattern + "' " + why);
      }
      p.date_formats.push_back(pattern);
    }
  }

  void ReadColumns(ImportProfile& p) {
    const toml::table* columns = Table("columns");
    if (columns == nullptr || columns->empty())
      FailTop("[columns] is missing: map at least one column");
    std::set<std::string> sources;
    for (const auto& [key, node] : *columns) {
      std::string column(key.str());
      CheckColumn(p, node, "columns." + column, column);
      if (!node.is_string() || Fold(node.as_string()->get()).empty()) {
        Fail(node, "columns." + column, "must name the export's column");
      }
      std::string source = node.as_string()->get();
      if (!sources.insert(Fold(source)).second) {
        Fail(node, "columns." + column, "'" + source + "' is mapped twice");
      }
      p.columns.emplace_back(column, source);
    }
  }

  void ReadDefaults(ImportProfile& p) {
    const toml::table* defaults = Table("defaults");
    if (defaults == nullptr) return;
    for (const auto& [key, node] : *defaults) {
      std::string column(key.str());
      CheckColumn(p, node, "defaults." + column, column);
      if (!node.is_string()) Fail(node, "defaults." + column, "must be a string");
      std::string value = node.as_string()->get();
      const FieldDecl* field = p.dataset->FindColumn(column);
      if (value != "{practice}" && field != nullptr) {
        std::string normalised;
        if (std::string why = CheckField(*field, value, normalised); !why.empty()) {
          Fail(node, "defaults." + column, why);
        }
      }
      if (!p.ColumnFor(column).empty()) {
        Fail(node, "defaults." + column, "the column is mapped in [columns] too");
      }
      p.defaults[column] = value;
    }
  }

  const CodeList& CodesOf(const ImportProfile& p, const toml::node& at, const std::string& key,
                          const std::string& column) {
    CheckColumn(p, at, key, column);
    const FieldDecl* field = p.dataset->FindColumn(column);
    if (field == nullptr || field->codes == nullptr) {
      Fail(at, key, column + " is not a coded column: its values need no map");
    }
    return *field->codes;
  }

  void ReadValues(ImportProfile& p) {
    const toml::table* values = Table("values");
    if (values == nullptr) return;
    for (const auto& [key, node] : *values) {
      std::string column(key.str());
      const CodeList& codes = CodesOf(p, node, "values." + column, column);
      if (!node.is_table()) Fail(node, "values." + column, "must be a table of values");
      auto& map = p.values[column];
      for (const auto& [from, to] : *node.as_table()) {
        std::string where = "values." + column + ".\"" + std::string(from.str()) + "\"";
        if (!to.is_string()) Fail(to, where, "must be a string: the NHS code");
        std::string code = to.as_string()->get();
        if (!codes.Contains(code)) {
          std::vector<std::string> all(codes.values.begin(), codes.values.end());
          std::string near = NearestOf(code, all);
          Fail(to, where,
               "'" + code + "' is not a code of " + std::string(codes.name) +
                   (near.empty() ? "" : " (did you mean '" + near + "'?)"));
        }
        map[Fold(from.str())] = code;
      }
    }
  }

  void ReadSkips(ImportProfile& p) {
    const toml::table* skips = Table("skip_values");
    if (skips == nullptr) return;
    for (const auto& [key, node] : *skips) {
      std::string column(key.str());
      CheckColumn(p, node, "skip_values." + column, column);
      if (!node.is_array()) Fail(node, "skip_values." + column, "must be a list of values");
      for (const toml::node& v : *node.as_array()) {
        if (!v.is_string()) Fail(v, "skip_values." + column, "must be a list of strings");
        p.skip_values[column].push_back(Fold(v.as_string()->get()));
      }
    }
  }

  void ReadKeepRows(ImportProfile& p) {
    const toml::table* keep = Table("keep_rows_where");
    if (keep == nullptr) return;
    for (const auto& [key, node] : *keep) {
      if (!node.is_string())
        Fail(node, "keep_rows_where." + std::string(key.str()), "must be a string");
      p.keep_rows_where.emplace_back(std::string(key.str()), node.as_string()->get());
    }
  }

  // Every column the dataset needs comes from the export, a default, or a
  // documented fallback; anything else is the profile's mistake.
  void Complete(ImportProfile& p) {
    const bool has_practice =
        !p.ColumnFor(p.dataset->Find(p.dataset->practice_field)->column).empty();
    std::string practice_column(p.dataset->Find(p.dataset->practice_field)->column);
    if (!has_practice && p.defaults.count(practice_column) == 0) {
      p.defaults[practice_column] = "{practice}";
    }
    if (p.rows == ProfileRows::kAppointments) {
      if (p.ColumnFor("APPOINTMENT_DATE").empty()) {
        FailTop("[columns] must map APPOINTMENT_DATE: each appointment's date");
      }
      for (const auto& [column, fallback] : AppointmentFallbacks()) {
        if (column == "TIME_BETWEEN_BOOK_AND_APPT" && !p.ColumnFor(kBookedDateColumn).empty()) {
          continue;  // worked out from each appointment's booked date
        }
        if (p.ColumnFor(column).empty() && p.defaults.count(column) == 0)
          p.defaults[column] = fallback;
      }
      return;
    }
    for (const FieldDecl& field : p.dataset->fields) {
      if (field.column.empty() || !field.required) continue;
      std::string column(field.column);
      if (!p.ColumnFor(column).empty() || p.defaults.count(column) > 0) continue;
      if (column == "STAFF_GROUP" && !p.ColumnFor("STAFF_ROLE").empty()) continue;  // from the role
      FailTop(column +
              " comes from no column and has no default: map it in [columns] or give it "
              "in [defaults]");
    }
  }

  const toml::table& table_;
  const std::string& source_;
};

}  // namespace

std::vector<std::string> ImportProfile::SourceColumns() const {
  std::vector<std::string> out;
  for (const auto& mapped : columns) out.push_back(mapped.second);
  for (const auto& kept : keep_rows_where) out.push_back(kept.first);
  return out;
}

std::string ImportProfile::ColumnFor(std::string_view tributary_column) const {
  for (const auto& [column, export_column] : columns) {
    if (column == tributary_column) return export_column;
  }
  return "";
}

ImportProfile ParseProfile(std::string_view toml_text, const std::string& source) {
  toml::table table;
  try {
    table = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    throw Error::InvalidInput(source + ":" + std::to_string(e.source().begin.line) + ": " +
                              std::string(e.description()));
  }
  ImportProfile profile = ProfileReader(table, source).Read();
  profile.text = std::string(toml_text);
  return profile;
}

}  // namespace tributary::agent
