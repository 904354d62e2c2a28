// Organisation hierarchies for server tests, written as the rows of an
// orgs.csv after its header, so each test shows its own hierarchy.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "orgs/org_file.h"
#include "orgs/org_hierarchy.h"

namespace tributary::server::test_orgs {

inline std::vector<Organisation> ParseOrgRows(const std::string& rows) {
  auto parsed = ParseOrgFile("ORG_CODE,ORG_NAME,ORG_TYPE,PARENT_CODE,VALID_FROM,VALID_TO\n" + rows);
  REQUIRE(parsed.problems.empty());
  return parsed.organisations;
}

inline OrgHierarchy HierarchyOf(const std::string& rows) {
  return OrgHierarchy(ParseOrgRows(rows));
}

}  // namespace tributary::server::test_orgs
