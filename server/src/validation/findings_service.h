// The cross-practice findings for one month, from the store: loads that month
// and up to twelve before it, and runs validation/cross_practice_rules.h.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "store/server_store.h"
#include "validation/cross_practice_rules.h"

namespace tributary::server {

// practice -> dataset -> "reason [rule]" lines.
using FindingsByReturn = std::map<std::string, std::map<std::string, std::vector<std::string>>>;

FindingsByReturn CrossPracticeFindings(ServerStore& store, const std::string& period);

}  // namespace tributary::server
