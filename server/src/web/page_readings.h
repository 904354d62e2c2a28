// What a page reads beside the people's API (web/api_client.h): read-only
// services for the hierarchy's names and the months held. Whatever a rule
// decides (who may see what, what may change) comes from the API alone.
// Both must outlive the pages' call.
#pragma once

#include "orgs/org_directory.h"
#include "reconcile/record_readings.h"

namespace tributary::server::web {

struct PageReadings {
  OrgDirectory& orgs;
  RecordReadings& records;
};

}  // namespace tributary::server::web
