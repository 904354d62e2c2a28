// GET /v1/exports/appointments: one month's appointments in NHS England's
// "Appointments in General Practice" practice-level crosstab shape, so an
// analyst's pipeline that reads NHS's file reads this one unchanged:
//
//   APPOINTMENT_MONTH_START_DATE, GP_CODE, GP_NAME, SUPPLIER, PCN_CODE, PCN_NAME,
//   SUB_ICB_LOCATION_CODE, SUB_ICB_LOCATION_NAME, HCP_TYPE, APPT_MODE,
//   NATIONAL_CATEGORY, TIME_BETWEEN_BOOK_AND_APPT, COUNT_OF_APPOINTMENTS, APPT_STATUS
//
// One row per practice and combination of the five codes, the month's daily
// counts summed; the codes exactly as NHS spells them (docs/data.md); the
// month as "01OCT2026"; the place where NHS writes the sub-ICB location;
// SUPPLIER empty (Tributary does not know the practice's clinical system).
#pragma once

#include <string>
#include <vector>

#include "export/export_records.h"
#include "export/export_table.h"
#include "orgs/org_hierarchy.h"
#include "tributary/common/dates.h"

namespace tributary::server {

const std::vector<ExportColumn>& AppointmentsExportColumns();

// The export of `records` (practice -> its appointments records of `period`)
// placed by `hierarchy` on the month's first day; practices in code order, a
// practice's rows in the order of their codes. A practice the hierarchy does
// not place that day is left out.
ExportTable AppointmentsExport(const Period& period, const OrgHierarchy& hierarchy,
                               const PracticeRecords& records);

}  // namespace tributary::server
