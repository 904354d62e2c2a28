#include "importer/workforce_record.h"

#include "tributary/common/record_rules.h"

namespace tributary::agent {

namespace {

std::string Get(const FieldMap& row, const char* name) {
  auto it = row.find(name);
  return it == row.end() ? std::string() : it->second;
}

}  // namespace

PersonIdentifiers IdentifiersOf(const FieldMap& row) {
  return {Get(row, "registration_body"), Get(row, "registration_number"), Get(row, "employer_code"),
          Get(row, "employer_staff_id")};
}

std::optional<std::string> IdentityOf(const FieldMap& row, RecordProblem& problem) {
  std::string why;
  std::optional<std::string> identity = PersonIdentity(IdentifiersOf(row), why);
  if (!identity) problem = RecordProblem{"REGISTRATION_NUMBER", why};
  return identity;
}

std::optional<RecordProblem> CompleteWorkforceRecord(FieldMap& row, const std::string& person_key,
                                                     Person& person) {
  PersonIdentifiers ids = IdentifiersOf(row);
  std::string why;
  person = Person{person_key,         row["staff_id"],       row["given_name"],
                  row["family_name"], ids.registration_body, ids.registration_number,
                  ids.employer_code,  ids.employer_staff_id, PersonIdentity(ids, why).value_or("")};
  row["person_key"] = person_key;
  row["fte"] = FteFromHours(std::stod(row["contracted_hours"]));
  for (const FieldDecl& f : datasets::Workforce().fields) {
    if (f.local_only) row.erase(std::string(f.name));
  }
  // The same rules the server applies, so the practice hears now, not after sync.
  for (const RuleViolation& v : CheckRecordRules(datasets::Workforce(), row)) {
    const FieldDecl* field = datasets::Workforce().Find(v.field);
    return RecordProblem{field && !field->column.empty() ? std::string(field->column) : v.field,
                         v.reason + " [" + v.rule + "]"};
  }
  return std::nullopt;
}

}  // namespace tributary::agent
