// `rollups verify` for published versions: each version's figures must follow
// from the records its lineage names, those records must still hash to what
// the lineage says, and a return still at the revision a version used must
// still hold the same records. Reads only; run inside one consistent reading
// (periods/period_service.h).
#pragma once

#include <string>
#include <vector>

#include "database/connection.h"

namespace tributary::server {

// A sentence for each difference found in any published version; empty when
// every version holds. Throws tributary::Error (kDatabase, kCorruption).
std::vector<std::string> PublishedDifferences(db::Connection& db);

}  // namespace tributary::server
