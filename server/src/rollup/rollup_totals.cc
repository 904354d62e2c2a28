#include "rollup/rollup_totals.h"

#include <boost/json.hpp>

namespace tributary::server {
namespace {

namespace json = boost::json;

double Number(const FieldMap& fields, const char* name) {
  auto it = fields.find(name);
  return it == fields.end() || it->second.empty() ? 0 : std::stod(it->second);
}

const std::string& Text(const FieldMap& fields, const char* name) {
  static const std::string kEmpty;
  auto it = fields.find(name);
  return it == fields.end() ? kEmpty : it->second;
}

void AddWorkforce(RollupTotals& t, const std::string& practice, const PracticeMonth& m) {
  if (m.workforce.empty()) return;
  t.workforce_practices.insert(practice);
  double gp_fte = 0;
  for (const FieldMap& r : m.workforce) {
    const std::string& person = Text(r, "person_key");
    const std::string& group = Text(r, "staff_group");
    const std::string& role = Text(r, "staff_role");
    double fte = Number(r, "fte");
    for (const RollupDims& d : {RollupDims{}, RollupDims{group, "", "", "", "", ""},
                                RollupDims{group, role, "", "", "", ""}}) {
      RollupCell& c = t.workforce[d];
      c.people.insert(person);
      c.sum += fte;
    }
    if (Text(r, "funding") == "ARRS") {
      for (const RollupDims& d : {RollupDims{}, RollupDims{group, role, "", "", "", ""}}) {
        RollupCell& c = t.arrs[d];
        c.people.insert(person);
        c.sum += fte;
      }
    }
    if (group == "GP") gp_fte += fte;
  }
  if (m.list_size && *m.list_size > 0) {
    t.gp_fte_with_list += gp_fte;
    t.list_for_gp += static_cast<double>(*m.list_size);
    ++t.practices_gp_rate;
  }
}

void AddAppointments(RollupTotals& t, const std::string& practice, const PracticeMonth& m) {
  if (m.appointments.empty()) return;
  t.appointment_practices.insert(practice);
  double total = 0;
  for (const FieldMap& r : m.appointments) {
    double count = Number(r, "count");
    total += count;
    for (const RollupDims& d : {RollupDims{}, RollupDims{"", "", Text(r, "hcp_type"), "", "", ""},
                                RollupDims{"", "", "", Text(r, "appt_mode"), "", ""},
                                RollupDims{"", "", "", "", Text(r, "appt_status"), ""},
                                RollupDims{"", "", "", "", "", Text(r, "booking_interval")}}) {
      t.appointments[d].sum += count;
    }
  }
  if (m.list_size && *m.list_size > 0) {
    t.appointments_with_list += total;
    t.list_for_appointments += static_cast<double>(*m.list_size);
    ++t.practices_appointment_rate;
  }
}

void MergeCells(std::map<RollupDims, RollupCell>& into,
                const std::map<RollupDims, RollupCell>& from) {
  for (const auto& [dims, cell] : from) {
    RollupCell& c = into[dims];
    c.people.insert(cell.people.begin(), cell.people.end());
    c.sum += cell.sum;
  }
}

json::array CellsToJson(const std::map<RollupDims, RollupCell>& cells) {
  json::array out;
  for (const auto& [d, c] : cells) {
    json::array people;
    for (const std::string& p : c.people) people.push_back(json::value(p));
    out.push_back(json::object{
        {"dims", json::array{json::value(d.staff_group), json::value(d.staff_role),
                             json::value(d.hcp_type), json::value(d.appt_mode),
                             json::value(d.appt_status), json::value(d.booking_interval)}},
        {"people", std::move(people)},
        {"sum", c.sum}});
  }
  return out;
}

std::map<RollupDims, RollupCell> CellsFromJson(const json::value& v) {
  std::map<RollupDims, RollupCell> cells;
  for (const json::value& item : v.as_array()) {
    const json::array& d = item.at("dims").as_array();
    RollupDims dims{std::string(d.at(0).as_string()), std::string(d.at(1).as_string()),
                    std::string(d.at(2).as_string()), std::string(d.at(3).as_string()),
                    std::string(d.at(4).as_string()), std::string(d.at(5).as_string())};
    RollupCell& c = cells[dims];
    for (const json::value& p : item.at("people").as_array()) {
      c.people.insert(std::string(p.as_string()));
    }
    c.sum = item.at("sum").to_number<double>();
  }
  return cells;
}

json::array SetToJson(const std::set<std::string>& items) {
  json::array out;
  for (const std::string& i : items) out.push_back(json::value(i));
  return out;
}

std::set<std::string> SetFromJson(const json::value& v) {
  std::set<std::string> out;
  for (const json::value& i : v.as_array()) out.insert(std::string(i.as_string()));
  return out;
}

}  // namespace

void RollupTotals::Merge(const RollupTotals& other) {
  workforce_practices.insert(other.workforce_practices.begin(), other.workforce_practices.end());
  appointment_practices.insert(other.appointment_practices.begin(),
                               other.appointment_practices.end());
  MergeCells(workforce, other.workforce);
  MergeCells(arrs, other.arrs);
  MergeCells(appointments, other.appointments);
  gp_fte_with_list += other.gp_fte_with_list;
  list_for_gp += other.list_for_gp;
  practices_gp_rate += other.practices_gp_rate;
  appointments_with_list += other.appointments_with_list;
  list_for_appointments += other.list_for_appointments;
  practices_appointment_rate += other.practices_appointment_rate;
}

RollupTotals PracticeTotals(const std::string& practice, const PracticeMonth& month) {
  RollupTotals t;
  AddWorkforce(t, practice, month);
  AddAppointments(t, practice, month);
  return t;
}

std::optional<double> AppointmentsPerThousand(const RollupTotals& t) {
  if (t.practices_appointment_rate == 0) return std::nullopt;
  return t.appointments_with_list / t.list_for_appointments * 1000;
}

std::string RollupTotalsToJson(const RollupTotals& t) {
  json::object o{{"workforce_practices", SetToJson(t.workforce_practices)},
                 {"appointment_practices", SetToJson(t.appointment_practices)},
                 {"workforce", CellsToJson(t.workforce)},
                 {"arrs", CellsToJson(t.arrs)},
                 {"appointments", CellsToJson(t.appointments)},
                 {"gp_fte_with_list", t.gp_fte_with_list},
                 {"list_for_gp", t.list_for_gp},
                 {"practices_gp_rate", t.practices_gp_rate},
                 {"appointments_with_list", t.appointments_with_list},
                 {"list_for_appointments", t.list_for_appointments},
                 {"practices_appointment_rate", t.practices_appointment_rate}};
  return json::serialize(o);
}

RollupTotals RollupTotalsFromJson(std::string_view text) {
  json::value v = json::parse(text);
  RollupTotals t;
  t.workforce_practices = SetFromJson(v.at("workforce_practices"));
  t.appointment_practices = SetFromJson(v.at("appointment_practices"));
  t.workforce = CellsFromJson(v.at("workforce"));
  t.arrs = CellsFromJson(v.at("arrs"));
  t.appointments = CellsFromJson(v.at("appointments"));
  t.gp_fte_with_list = v.at("gp_fte_with_list").to_number<double>();
  t.list_for_gp = v.at("list_for_gp").to_number<double>();
  t.practices_gp_rate = v.at("practices_gp_rate").to_number<std::int64_t>();
  t.appointments_with_list = v.at("appointments_with_list").to_number<double>();
  t.list_for_appointments = v.at("list_for_appointments").to_number<double>();
  t.practices_appointment_rate = v.at("practices_appointment_rate").to_number<std::int64_t>();
  return t;
}

}  // namespace tributary::server
