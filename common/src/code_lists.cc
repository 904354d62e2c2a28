#include "tributary/common/code_lists.h"

#include <algorithm>

namespace tributary {

bool CodeList::Contains(std::string_view value) const {
  return std::find(values.begin(), values.end(), value) != values.end();
}

namespace codes {

const CodeList& HcpType() {
  static const CodeList list{"HCP_TYPE", {"GP", "Other Practice staff", "Unknown"}};
  return list;
}

const CodeList& AppointmentMode() {
  static const CodeList list{
      "APPT_MODE",
      {"Face-to-Face", "Telephone", "Video Conference/Online", "Home Visit", "Unknown"}};
  return list;
}

const CodeList& AppointmentStatus() {
  // "Not Provided" occurs in older exports.
  static const CodeList list{"APPT_STATUS", {"Attended", "DNA", "Unknown", "Not Provided"}};
  return list;
}

const CodeList& BookingInterval() {
  // The double spaces are NHS England's own; "Unknown / Data Issue" is the older name.
  static const CodeList list{
      "TIME_BETWEEN_BOOK_AND_APPT",
      {"Same Day", "1 Day", "2 to 7 Days", "8  to 14 Days", "15  to 21 Days", "22  to 28 Days",
       "More than 28 Days", "Unknown / Data Quality", "Unknown / Data Issue"}};
  return list;
}

const CodeList& NationalCategory() {
  static const CodeList list{
      "NATIONAL_CATEGORY",
      {"General Consultation Routine", "General Consultation Acute", "Clinical Triage",
       "Planned Clinics", "Planned Clinical Procedure", "Unplanned Clinical Activity", "Home Visit",
       "Care Home Visit", "Patient contact during Care Home Round",
       "Care Home Needs Assessment & Personalised Care and Support Planning",
       "Structured Medication Review", "Social Prescribing Service",
       "Service provided by organisation external to the practice",
       "Non-contractual chargeable work", "Group Consultation and Group Education", "Walk-in",
       "Inconsistent Mapping", "Unmapped"}};
  return list;
}

const CodeList& StaffGroup() {
  static const CodeList list{"STAFF_GROUP",
                             {"GP", "Nurses", "Direct Patient Care", "Admin/Non-Clinical"}};
  return list;
}

namespace {

// Each NWRS role with its staff group: the one table both lists are read from.
struct RoleInGroup {
  std::string_view role;
  std::string_view group;
};

const std::vector<RoleInGroup>& RolesByGroup() {
  static const std::vector<RoleInGroup> roles = {
      {"GP Partner", "GP"},
      {"Salaried GP", "GP"},
      {"GP Registrar", "GP"},
      {"GP Retainer", "GP"},
      {"Locum GP", "GP"},
      {"Advanced Nurse Practitioner", "Nurses"},
      {"Practice Nurse", "Nurses"},
      {"Nursing Associate", "Nurses"},
      {"Trainee Nursing Associate", "Nurses"},
      {"Healthcare Assistant", "Direct Patient Care"},
      {"Phlebotomist", "Direct Patient Care"},
      {"Clinical Pharmacist", "Direct Patient Care"},
      {"Pharmacy Technician", "Direct Patient Care"},
      {"Social Prescribing Link Worker", "Direct Patient Care"},
      {"Health and Wellbeing Coach", "Direct Patient Care"},
      {"Care Coordinator", "Direct Patient Care"},
      {"Physician Associate", "Direct Patient Care"},
      {"First Contact Physiotherapist", "Direct Patient Care"},
      {"Dietitian", "Direct Patient Care"},
      {"Podiatrist", "Direct Patient Care"},
      {"Occupational Therapist", "Direct Patient Care"},
      {"Paramedic", "Direct Patient Care"},
      {"Mental Health Practitioner", "Direct Patient Care"},
      {"Advanced Practitioner", "Direct Patient Care"},
      {"General Practice Assistant", "Direct Patient Care"},
      {"Digital and Transformation Lead", "Direct Patient Care"},
      {"Practice Manager", "Admin/Non-Clinical"},
      {"Receptionist", "Admin/Non-Clinical"},
      {"Medical Secretary", "Admin/Non-Clinical"},
      {"Administrator", "Admin/Non-Clinical"},
  };
  return roles;
}

}  // namespace

const CodeList& StaffRole() {
  static const CodeList list = [] {
    CodeList l{"STAFF_ROLE", {}};
    for (const RoleInGroup& r : RolesByGroup()) l.values.push_back(r.role);
    return l;
  }();
  return list;
}

std::string_view StaffGroupOf(std::string_view role) {
  for (const RoleInGroup& r : RolesByGroup()) {
    if (r.role == role) return r.group;
  }
  return {};
}

const CodeList& EmployerType() {
  static const CodeList list{"EMPLOYER_TYPE", {"PRACTICE", "PCN", "OTHER"}};
  return list;
}

const CodeList& Funding() {
  static const CodeList list{"FUNDING", {"ARRS", "PRACTICE", "OTHER"}};
  return list;
}

const CodeList& ReturnDataset() {
  static const CodeList list{"DATASET", {"workforce", "appointments", "list_size"}};
  return list;
}

const CodeList& RegistrationBody() {
  static const CodeList list{
      "REGISTRATION_BODY",
      {"GMC", "NMC", "HCPC", "GPhC", "FPA", "SWE", "GOsC", "GCC", "GOC", "PSNI"}};
  return list;
}

const CodeList& ArrsRole() {
  static const CodeList list{
      "ARRS_ROLE",
      {"Clinical Pharmacist", "Pharmacy Technician", "Social Prescribing Link Worker",
       "Health and Wellbeing Coach", "Care Coordinator", "Physician Associate",
       "First Contact Physiotherapist", "Dietitian", "Podiatrist", "Occupational Therapist",
       "Paramedic", "Mental Health Practitioner", "Advanced Practitioner",
       "General Practice Assistant", "Digital and Transformation Lead"}};
  return list;
}

}  // namespace codes
}  // namespace tributary
