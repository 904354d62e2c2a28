// What each viewer is told of a cross-practice finding.
//
// A person finding (workforce.fte_over_one, workforce.arrs_two_employers)
// is about one person's work at other practices too. Nobody is told more
// about another organisation than their scope lets them see:
//
//   viewer                          other practices / employers
//   the practice (its agent)        a count only ("across 3 practices"), never the total FTE
//   a PCN manager, a place          by name inside their scope, a count for the rest
//   the ICS, the operator           all by name, with the total FTE
//
// The appointment rules compare a practice with its own history and its
// PCN's median: aggregates, told as they are.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "validation/cross_practice_rules.h"
#include "validation/published_findings.h"

namespace tributary::server {

// A month's cross-practice findings, whole, by practice and dataset.
using FindingsOfMonth =
    std::map<std::string, std::map<std::string, std::vector<CrossPracticeFinding>>>;

// Whether a viewer may be told the organisation `code` by name.
using NamedOrganisation = std::function<bool(const std::string& code)>;
// For a viewer who may see every organisation.
bool EveryOrganisation(const std::string& code);

// The finding's reason as a viewer who may be told `named` by name is told it.
std::string TellReason(const CrossPracticeFinding& finding, const NamedOrganisation& named);
// The same, followed by " [rule]": a line of a return's findings.
std::string TellFinding(const CrossPracticeFinding& finding, const NamedOrganisation& named);

// Each practice's findings as the practice itself is told them (the notices
// its agent pulls): it is named, nobody else is.
FindingsByReturn TellPractices(const FindingsOfMonth& findings);

// The findings of the return of `practice` and `dataset`, as told to a
// viewer who may be told `named` by name.
std::vector<std::string> TellReturn(const FindingsOfMonth& findings, const std::string& practice,
                                    const std::string& dataset, const NamedOrganisation& named);

}  // namespace tributary::server
