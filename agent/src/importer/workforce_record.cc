#include "importer/workforce_record.h"

#include "importer/person_key.h"

namespace tributary::agent {

std::optional<RecordProblem> CompleteWorkforceRecord(FieldMap& row,
                                                     const std::string& person_key_secret,
                                                     Person& person) {
  PersonIdentifiers ids{row["registration_body"], row["registration_number"],
                        row["employer_code"], row["employer_staff_id"]};
  std::string why;
  auto key = MakePersonKey(person_key_secret, ids, why);
  if (!key) return RecordProblem{"REGISTRATION_NUMBER", why};
  if (!row["end_date"].empty() && row["end_date"] < row["start_date"]) {
    return RecordProblem{"END_DATE", "is before START_DATE"};
  }
  person = Person{*key, row["staff_id"], row["given_name"], row["family_name"],
                  ids.registration_body, ids.registration_number, ids.employer_code,
                  ids.employer_staff_id};
  row["person_key"] = *key;
  row["fte"] = FteFromHours(std::stod(row["contracted_hours"]));
  for (const FieldDecl& f : datasets::Workforce().fields) {
    if (f.local_only) row.erase(std::string(f.name));
  }
  return std::nullopt;
}

}  // namespace tributary::agent
