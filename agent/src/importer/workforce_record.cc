#include "importer/workforce_record.h"

#include "importer/person_key_derivation.h"
#include "tributary/common/record_rules.h"

namespace tributary::agent {

std::optional<RecordProblem> CompleteWorkforceRecord(FieldMap& row,
                                                     const std::string& person_key_secret,
                                                     Person& person) {
  PersonIdentifiers ids{row["registration_body"], row["registration_number"], row["employer_code"],
                        row["employer_staff_id"]};
  std::string why;
  auto key = DerivePersonKey(person_key_secret, ids, why);
  if (!key) return RecordProblem{"REGISTRATION_NUMBER", why};
  person = Person{*key,
                  row["staff_id"],
                  row["given_name"],
                  row["family_name"],
                  ids.registration_body,
                  ids.registration_number,
                  ids.employer_code,
                  ids.employer_staff_id};
  row["person_key"] = *key;
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
