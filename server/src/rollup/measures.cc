#include "rollup/measures.h"

namespace tributary::server {

const std::vector<MeasureDecl>& Measures() {
  static const std::vector<MeasureDecl> measures = {
      {"workforce", "headcount", "people", "total; staff group; staff group and role",
       "Distinct people (person keys) at the organisation: a person at three practices counts "
       "once in their PCN."},
      {"workforce", "fte", "FTE", "total; staff group; staff group and role",
       "Full-time equivalent: contracted hours / 37.5, summed over records."},
      {"workforce", "arrs_headcount", "people", "total; staff group and role",
       "Distinct people whose records are funded ARRS (Additional Roles Reimbursement Scheme)."},
      {"workforce", "arrs_fte", "FTE", "total; staff group and role",
       "FTE of the records funded ARRS."},
      {"workforce", "gp_fte_per_10k", "FTE per 10,000 patients", "total",
       "GP staff group FTE / registered patients x 10,000, over practices with both."},
      {"appointments", "appointments", "appointments",
       "total; each of HCP type, mode, status, booking interval", "The sum of appointment counts."},
      {"appointments", "appointments_per_1000", "appointments per 1,000 patients", "total",
       "Appointments / registered patients x 1,000, over practices with both."},
      {"appointments", "dna_rate", "share (0 to 1)", "total",
       "Appointments with status DNA (did not attend) / all appointments."},
      {"appointments", "face_to_face_share", "share (0 to 1)", "total",
       "Appointments of mode Face-to-Face / all appointments."},
      {"appointments", "same_day_share", "share (0 to 1)", "total",
       "Appointments booked the same day / all appointments."},
      {"coverage", "practices_expected", "practices", "total",
       "Practices in the organisation that month, by the hierarchy."},
      {"coverage", "practices_submitted", "practices", "total",
       "Of those, practices whose every return is submitted, approved or locked."},
      {"coverage", "practices_approved", "practices", "total",
       "Of those, practices whose every return is approved or locked."},
  };
  return measures;
}

}  // namespace tributary::server
