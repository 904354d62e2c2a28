// A fictional England for benchmarks: the organisation hierarchy (ICSs,
// places, PCNs, practices) and the people who work in each practice,
// including PCN-employed Additional Roles staff shared by several practices.
// Deterministic: the same seed and size give the same nation, byte for byte.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tributary::sim {

struct NationSize {
  int practices = 6300;  // England: about 6,300 practices, 1,250 PCNs, 42 ICSs
};

struct Org {
  std::string code;
  std::string name;
  std::string type;    // ICS, PLACE, PCN, PRACTICE (orgs.csv ORG_TYPE)
  std::string parent;  // "" for an ICS
};

// One person's post at one practice (a workforce CSV row, less the period).
struct Post {
  std::string staff_id;  // the practice's own id
  std::string given_name, family_name;
  std::string registration_body, registration_number;
  std::string staff_group, staff_role;
  std::string contracted_hours;  // per week at this practice, e.g. "22.5"
  std::string employer_type, employer_code, employer_staff_id, funding;
  std::string start_date;
};

struct Practice {
  std::string code;
  std::string pcn;
  int patients = 0;
  std::vector<Post> posts;
};

struct Nation {
  std::vector<Org> orgs;  // parents before children
  std::vector<Practice> practices;
};

Nation MakeNation(const NationSize& size, std::uint64_t seed);

}  // namespace tributary::sim
