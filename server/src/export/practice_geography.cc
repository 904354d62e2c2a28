#include "export/practice_geography.h"

namespace tributary::server {

std::optional<PracticeGeography> GeographyOf(const OrgHierarchy& hierarchy,
                                             const std::string& practice, const std::string& day) {
  const Organisation* p = hierarchy.Find(practice, day);
  const Organisation* pcn = p ? hierarchy.Find(p->parent, day) : nullptr;
  const Organisation* place = pcn ? hierarchy.Find(pcn->parent, day) : nullptr;
  const Organisation* ics = place ? hierarchy.Find(place->parent, day) : nullptr;
  if (ics == nullptr) return std::nullopt;
  return PracticeGeography{p->code,     p->name,     pcn->code, pcn->name,
                           place->code, place->name, ics->code, ics->name};
}

}  // namespace tributary::server
