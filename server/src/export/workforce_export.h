// GET /v1/exports/workforce: one month's workforce per practice in the long
// shape of NHS England's "General Practice Workforce, Practice Level - High
// level" CSV, with the geography columns of its practice-level files:
//
//   PRAC_CODE, PRAC_NAME, PCN_CODE, PCN_NAME, SUB_ICB_CODE, SUB_ICB_NAME,
//   ICB_CODE, ICB_NAME, STAFF_GROUP, DETAILED_STAFF_ROLE, MEASURE, VALUE
//
// For each practice, MEASURE "FTE" and "Headcount" for all staff
// (STAFF_GROUP and DETAILED_STAFF_ROLE "Total"), for each staff group (role
// "Total") and for each group and role held that month. Headcount is as NHS
// publishes it: distinct people at the practice in that group or role, so a
// person is counted once however many records name them; FTE adds. The
// place stands where NHS writes the sub-ICB location, the ICS as the ICB.
#pragma once

#include <vector>

#include "export/export_records.h"
#include "export/export_table.h"
#include "orgs/org_hierarchy.h"
#include "tributary/common/dates.h"

namespace tributary::server {

const std::vector<ExportColumn>& WorkforceExportColumns();

// The export of `records` (practice -> its workforce records of `period`)
// placed by `hierarchy` on the month's first day; practices in code order,
// then all staff, each group in the NHS code list's order with its roles in
// theirs. A practice the hierarchy does not place that day is left out.
ExportTable WorkforceExport(const Period& period, const OrgHierarchy& hierarchy,
                            const PracticeRecords& records);

}  // namespace tributary::server
