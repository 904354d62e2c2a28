#include "store/people_table.h"

namespace tributary::agent {
namespace {

constexpr const char* kColumns =
    "SELECT person_key, staff_id, given_name, family_name, registration_body, "
    "registration_number, employer_code, employer_staff_id FROM people ";

std::optional<Person> ReadPerson(sqlite::Statement& stmt) {
  if (!stmt.Step()) return std::nullopt;
  return Person{stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnText(2),
                stmt.ColumnText(3), stmt.ColumnText(4), stmt.ColumnText(5),
                stmt.ColumnText(6), stmt.ColumnText(7), ""};
}

}  // namespace

void PeopleTable::CreateSchema(sqlite::Database& db) {
  db.Exec(R"sql(
-- Who is behind each person key. Never leaves this machine.
CREATE TABLE IF NOT EXISTS people (
  person_key          TEXT PRIMARY KEY,
  staff_id            TEXT NOT NULL,
  given_name          TEXT NOT NULL,
  family_name         TEXT NOT NULL,
  registration_body   TEXT NOT NULL,
  registration_number TEXT NOT NULL,
  employer_code       TEXT NOT NULL,
  employer_staff_id   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS people_by_staff_id ON people (staff_id);
)sql");
}

void PeopleTable::Save(const Person& p) {
  auto stmt = db_.Prepare(
      "INSERT INTO people (person_key, staff_id, given_name, family_name, registration_body, "
      "registration_number, employer_code, employer_staff_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (person_key) DO UPDATE SET staff_id = excluded.staff_id, "
      "given_name = excluded.given_name, family_name = excluded.family_name, "
      "registration_body = excluded.registration_body, "
      "registration_number = excluded.registration_number, "
      "employer_code = excluded.employer_code, employer_staff_id = excluded.employer_staff_id");
  stmt.Bind(1, p.person_key).Bind(2, p.staff_id).Bind(3, p.given_name).Bind(4, p.family_name);
  stmt.Bind(5, p.registration_body).Bind(6, p.registration_number).Bind(7, p.employer_code);
  stmt.Bind(8, p.employer_staff_id);
  stmt.Run();
}

std::optional<Person> PeopleTable::FindByStaffId(const std::string& staff_id) {
  auto stmt = db_.Prepare(std::string(kColumns) + "WHERE staff_id = ?");
  stmt.Bind(1, staff_id);
  return ReadPerson(stmt);
}

std::optional<Person> PeopleTable::Find(const std::string& person_key) {
  auto stmt = db_.Prepare(std::string(kColumns) + "WHERE person_key = ?");
  stmt.Bind(1, person_key);
  return ReadPerson(stmt);
}

std::vector<Person> PeopleTable::All() {
  auto stmt = db_.Prepare(std::string(kColumns) + "ORDER BY person_key");
  std::vector<Person> out;
  while (std::optional<Person> p = ReadPerson(stmt)) out.push_back(std::move(*p));
  return out;
}

void PeopleTable::Remove(const std::string& person_key) {
  auto stmt = db_.Prepare("DELETE FROM people WHERE person_key = ?");
  stmt.Bind(1, person_key);
  stmt.Run();
}

}  // namespace tributary::agent
