#include "rollup/rollup_totals.h"

#include <algorithm>

namespace tributary::server {
namespace {

// Sorts `people` and removes repeats: each person once, whatever practices
// they were counted at.
void CountEachOnce(std::vector<PersonKey>& people) {
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
}

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
    PersonKey person = PersonKey::FromHex(Text(r, "person_key"));
    const std::string& group = Text(r, "staff_group");
    const std::string& role = Text(r, "staff_role");
    double fte = Number(r, "fte");
    for (const RollupDims& d : {RollupDims{}, RollupDims{group, "", "", "", "", ""},
                                RollupDims{group, role, "", "", "", ""}}) {
      RollupCell& c = t.workforce[d];
      c.people.push_back(person);
      c.sum += fte;
    }
    if (Text(r, "funding") == "ARRS") {
      for (const RollupDims& d : {RollupDims{}, RollupDims{group, role, "", "", "", ""}}) {
        RollupCell& c = t.arrs[d];
        c.people.push_back(person);
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
    c.people.insert(c.people.end(), cell.people.begin(), cell.people.end());
    c.sum += cell.sum;
  }
}

void UniteCells(std::map<RollupDims, RollupCell>& cells) {
  for (auto& [dims, cell] : cells) CountEachOnce(cell.people);
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

void RollupTotals::UnitePeople() {
  UniteCells(workforce);
  UniteCells(arrs);
}

RollupTotals PracticeTotals(const std::string& practice, const PracticeMonth& month) {
  RollupTotals t;
  AddWorkforce(t, practice, month);
  AddAppointments(t, practice, month);
  t.UnitePeople();  // a person with two posts is one head
  return t;
}

std::optional<double> AppointmentsPerThousand(const RollupTotals& t) {
  if (t.practices_appointment_rate == 0) return std::nullopt;
  return t.appointments_with_list / t.list_for_appointments * 1000;
}

}  // namespace tributary::server
