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

const CodeList& StaffRole() {
  static const CodeList list{
      "STAFF_ROLE",
      {// GP
       "GP Partner", "Salaried GP", "GP Registrar", "GP Retainer", "Locum GP",
       // Nurses
       "Advanced Nurse Practitioner", "Practice Nurse", "Nursing Associate",
       "Trainee Nursing Associate",
       // Direct Patient Care
       "Healthcare Assistant", "Phlebotomist", "Clinical Pharmacist", "Pharmacy Technician",
       "Social Prescribing Link Worker", "Health and Wellbeing Coach", "Care Coordinator",
       "Physician Associate", "First Contact Physiotherapist", "Dietitian", "Podiatrist",
       "Occupational Therapist", "Paramedic", "Mental Health Practitioner", "Advanced Practitioner",
       "General Practice Assistant", "Digital and Transformation Lead",
       // Admin/Non-Clinical
       "Practice Manager", "Receptionist", "Medical Secretary", "Administrator"}};
  return list;
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
