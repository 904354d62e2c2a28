#include "export/appointments_export.h"

#include <array>
#include <map>

#include "export/practice_geography.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

// The five codes of a row, in the columns' order.
using Codes = std::array<std::string, 5>;
constexpr std::array<const char*, 5> kCodeFields = {"hcp_type", "appt_mode", "national_category",
                                                    "booking_interval", "appt_status"};

const std::string& FieldOf(const FieldMap& fields, const char* name) {
  auto it = fields.find(name);
  if (it == fields.end()) {
    throw Error::Corruption(std::string("an appointments record has no ") + name);
  }
  return it->second;
}

}  // namespace

const std::vector<ExportColumn>& AppointmentsExportColumns() {
  static const std::vector<ExportColumn> columns = {
      {"APPOINTMENT_MONTH_START_DATE", "date", "", "",
       "The first day of the month the appointments took place in, as DDMONYYYY (01OCT2026)."},
      {"GP_CODE", "code", "", "ODS practice code", "The practice's ODS code."},
      {"GP_NAME", "text", "", "", "The practice's name in the hierarchy for the month."},
      {"SUPPLIER", "text", "", "",
       "The practice's clinical system supplier; empty: Tributary does not hold it."},
      {"PCN_CODE", "code", "", "ODS PCN code",
       "The practice's Primary Care Network on the month's first day."},
      {"PCN_NAME", "text", "", "", "The PCN's name."},
      {"SUB_ICB_LOCATION_CODE", "code", "", "ODS sub-ICB location code",
       "The practice's place (sub-ICB location) on the month's first day."},
      {"SUB_ICB_LOCATION_NAME", "text", "", "", "The place's name."},
      {"HCP_TYPE", "code", "", "HCP_TYPE",
       "The type of health care professional the appointment was with."},
      {"APPT_MODE", "code", "", "APPT_MODE", "How the appointment took place."},
      {"NATIONAL_CATEGORY", "code", "", "NATIONAL_CATEGORY",
       "The appointment's national category."},
      {"TIME_BETWEEN_BOOK_AND_APPT", "code", "", "TIME_BETWEEN_BOOK_AND_APPT",
       "How long before the appointment it was booked (the double spaces are NHS's own)."},
      {"COUNT_OF_APPOINTMENTS", "integer", "appointments", "",
       "Appointments in the month with these codes: the sum of the practice's daily counts."},
      {"APPT_STATUS", "code", "", "APPT_STATUS",
       "Whether the patient attended (Attended, DNA: did not attend, Unknown)."},
  };
  return columns;
}

ExportTable AppointmentsExport(const Period& period, const OrgHierarchy& hierarchy,
                               const PracticeRecords& records) {
  ExportTable table{AppointmentsExportColumns(), {}};
  std::string day = period.FirstDay().ToString();
  std::string month = period.FirstDay().ToNhsString();
  for (const auto& [practice, held] : records) {
    std::optional<PracticeGeography> where = GeographyOf(hierarchy, practice, day);
    if (!where) continue;
    std::map<Codes, std::uint64_t> counts;
    for (const FieldMap& fields : held) {
      Codes codes;
      for (std::size_t i = 0; i < kCodeFields.size(); ++i) {
        codes[i] = FieldOf(fields, kCodeFields[i]);
      }
      counts[codes] += std::stoull(FieldOf(fields, "count"));
    }
    for (const auto& [codes, count] : counts) {
      table.rows.push_back({month, where->practice_code, where->practice_name, "", where->pcn_code,
                            where->pcn_name, where->place_code, where->place_name, codes[0],
                            codes[1], codes[2], codes[3], std::to_string(count), codes[4]});
    }
  }
  return table;
}

}  // namespace tributary::server
