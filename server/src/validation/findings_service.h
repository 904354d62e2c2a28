// The cross-practice findings of a month, from the store: reads that month's
// staff and its and the twelve before's appointment rates, and runs
// validation/cross_practice_rules.h.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "validation/finding_disclosure.h"
#include "validation/published_findings.h"

namespace tributary::server {

class ServerStore;

// Whole: what each viewer is told of them is validation/finding_disclosure.h's.
FindingsOfMonth CrossPracticeFindings(ServerStore& store, const std::string& period);

// The findings of several months, reading each month's records only once.
std::map<std::string, FindingsOfMonth> CrossPracticeFindings(
    ServerStore& store, const std::vector<std::string>& periods);

}  // namespace tributary::server
