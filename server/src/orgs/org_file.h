// Reads the organisation hierarchy file, orgs.csv (docs/data.md):
//   ORG_CODE,ORG_NAME,ORG_TYPE,PARENT_CODE,VALID_FROM,VALID_TO
// and checks it whole: code formats, each parent one level up and valid when
// its child starts, no overlapping spans for one code. A file with any
// problem yields every problem and no organisations.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "orgs/organisation.h"
#include "tributary/common/file_problem.h"

namespace tributary::server {

using OrgFileProblem = FileProblem;

struct ParsedOrgFile {
  std::vector<Organisation> organisations;  // empty when there are problems
  std::vector<OrgFileProblem> problems;
};

ParsedOrgFile ParseOrgFile(std::string_view content);

}  // namespace tributary::server
