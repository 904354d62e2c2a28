#include "export/workforce_export.h"

#include <map>
#include <set>

#include "export/practice_geography.h"
#include "rollup/rollup_row.h"
#include "tributary/common/code_lists.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

const std::string kTotal = "Total";

// The people behind a headcount and the FTE they add up to.
struct Staff {
  std::set<std::string> people;
  double fte = 0;

  void Add(const std::string& person, double person_fte) {
    people.insert(person);
    fte += person_fte;
  }
};

const std::string& FieldOf(const FieldMap& fields, const char* name) {
  auto it = fields.find(name);
  if (it == fields.end()) throw Error::Corruption(std::string("a workforce record has no ") + name);
  return it->second;
}

double Fte(const std::string& text) {
  try {
    std::size_t used = 0;
    double fte = std::stod(text, &used);
    if (used == text.size()) return fte;
  } catch (const std::exception&) {
  }
  throw Error::Corruption("a workforce record's fte '" + text + "' is not a number");
}

// Where a code sits in its list, for ordering rows as NHS lists them.
std::size_t Rank(const CodeList& list, const std::string& value) {
  for (std::size_t i = 0; i < list.values.size(); ++i) {
    if (list.values[i] == value) return i;
  }
  return list.values.size();
}

}  // namespace

const std::vector<ExportColumn>& WorkforceExportColumns() {
  static const std::vector<ExportColumn> columns = {
      {"PRAC_CODE", "code", "", "ODS practice code", "The practice's ODS code."},
      {"PRAC_NAME", "text", "", "", "The practice's name in the hierarchy for the month."},
      {"PCN_CODE", "code", "", "ODS PCN code",
       "The practice's Primary Care Network on the month's first day."},
      {"PCN_NAME", "text", "", "", "The PCN's name."},
      {"SUB_ICB_CODE", "code", "", "ODS sub-ICB location code",
       "The practice's place (sub-ICB location) on the month's first day."},
      {"SUB_ICB_NAME", "text", "", "", "The place's name."},
      {"ICB_CODE", "code", "", "ODS ICB code",
       "The practice's Integrated Care System (ICB) on the month's first day."},
      {"ICB_NAME", "text", "", "", "The ICS's name."},
      {"STAFF_GROUP", "code", "", "STAFF_GROUP",
       "The staff group the figure counts, or Total for all staff."},
      {"DETAILED_STAFF_ROLE", "code", "", "STAFF_ROLE",
       "The role within the group the figure counts, or Total for the whole group."},
      {"MEASURE", "code", "", "FTE, Headcount",
       "FTE: contracted hours / 37.5, summed. Headcount: distinct people at the practice."},
      {"VALUE", "decimal", "FTE or people", "",
       "The figure, a plain decimal (FTE to at most six places; headcount whole)."},
  };
  return columns;
}

ExportTable WorkforceExport(const Period& period, const OrgHierarchy& hierarchy,
                            const PracticeRecords& records) {
  ExportTable table{WorkforceExportColumns(), {}};
  std::string day = period.FirstDay().ToString();
  const CodeList& groups = codes::StaffGroup();
  const CodeList& roles = codes::StaffRole();
  for (const auto& [practice, held] : records) {
    std::optional<PracticeGeography> where = GeographyOf(hierarchy, practice, day);
    if (!where || held.empty()) continue;
    Staff all;
    // (group rank, group) -> staff; (group rank, role rank, group, role) -> staff.
    std::map<std::pair<std::size_t, std::string>, Staff> by_group;
    std::map<std::tuple<std::size_t, std::size_t, std::string, std::string>, Staff> by_role;
    for (const FieldMap& fields : held) {
      const std::string& person = FieldOf(fields, "person_key");
      const std::string& group = FieldOf(fields, "staff_group");
      const std::string& role = FieldOf(fields, "staff_role");
      double fte = Fte(FieldOf(fields, "fte"));
      all.Add(person, fte);
      by_group[{Rank(groups, group), group}].Add(person, fte);
      by_role[{Rank(groups, group), Rank(roles, role), group, role}].Add(person, fte);
    }
    auto emit = [&](const std::string& group, const std::string& role, const Staff& staff) {
      for (const char* measure : {"FTE", "Headcount"}) {
        double value = measure[0] == 'F' ? staff.fte : static_cast<double>(staff.people.size());
        table.rows.push_back({where->practice_code, where->practice_name, where->pcn_code,
                              where->pcn_name, where->place_code, where->place_name,
                              where->ics_code, where->ics_name, group, role, measure,
                              FormatValue(value)});
      }
    };
    emit(kTotal, kTotal, all);
    for (const auto& [group_key, staff] : by_group) {
      emit(group_key.second, kTotal, staff);
      for (const auto& [role_key, role_staff] : by_role) {
        if (std::get<2>(role_key) == group_key.second) {
          emit(group_key.second, std::get<3>(role_key), role_staff);
        }
      }
    }
  }
  return table;
}

}  // namespace tributary::server
