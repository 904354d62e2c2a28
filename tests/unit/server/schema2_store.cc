#include "schema2_store.h"

#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "rollup/rollup_totals_codec.h"

namespace tributary::server {
namespace {

namespace json = boost::json;

// The serialiser schema 2 used, field for field.
json::array CellsToJson(const std::map<RollupDims, RollupCell>& cells) {
  json::array out;
  for (const auto& [d, c] : cells) {
    json::array people;
    for (const PersonKey& p : c.people) people.push_back(json::value(p.ToHex()));
    out.push_back(json::object{
        {"dims", json::array{json::value(d.staff_group), json::value(d.staff_role),
                             json::value(d.hcp_type), json::value(d.appt_mode),
                             json::value(d.appt_status), json::value(d.booking_interval)}},
        {"people", std::move(people)},
        {"sum", c.sum}});
  }
  return out;
}

json::array SetToJson(const std::set<std::string>& items) {
  json::array out;
  for (const std::string& i : items) out.push_back(json::value(i));
  return out;
}

std::string Schema2Json(const RollupTotals& t) {
  return json::serialize(
      json::object{{"workforce_practices", SetToJson(t.workforce_practices)},
                   {"appointment_practices", SetToJson(t.appointment_practices)},
                   {"workforce", CellsToJson(t.workforce)},
                   {"arrs", CellsToJson(t.arrs)},
                   {"appointments", CellsToJson(t.appointments)},
                   {"gp_fte_with_list", t.gp_fte_with_list},
                   {"list_for_gp", t.list_for_gp},
                   {"practices_gp_rate", t.practices_gp_rate},
                   {"appointments_with_list", t.appointments_with_list},
                   {"list_for_appointments", t.list_for_appointments},
                   {"practices_appointment_rate", t.practices_appointment_rate}});
}

}  // namespace

void DowngradeKeptTotalsToSchema2(sqlite::Database& db) {
  std::vector<std::pair<std::string, std::string>> rows;  // key, schema-2 text
  auto read = db.Prepare("SELECT period || ' ' || practice, totals FROM rollup_practice_months");
  while (read.Step()) {
    rows.emplace_back(read.ColumnText(0), Schema2Json(DecodeRollupTotals(read.ColumnBlob(1))));
  }
  auto write = db.Prepare(
      "UPDATE rollup_practice_months SET totals = ? WHERE period || ' ' || practice = ?");
  for (const auto& [key, text] : rows) {
    write.Bind(1, text).Bind(2, key);
    write.Run();
    write.Reset();
  }
  db.Exec("UPDATE settings SET value = '2' WHERE key = 'schema_version'");
}

}  // namespace tributary::server
