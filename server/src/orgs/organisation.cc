#include "orgs/organisation.h"

namespace tributary::server {
namespace {

struct LevelNames {
  OrgLevel level;
  std::string_view name;
  std::string_view type;
};
constexpr LevelNames kLevels[] = {{OrgLevel::kPractice, "practice", "PRACTICE"},
                                  {OrgLevel::kPcn, "pcn", "PCN"},
                                  {OrgLevel::kPlace, "place", "PLACE"},
                                  {OrgLevel::kIcs, "ics", "ICS"}};

}  // namespace

std::string_view LevelName(OrgLevel level) {
  for (const auto& l : kLevels) {
    if (l.level == level) return l.name;
  }
  return "";
}

std::optional<OrgLevel> ParseLevel(std::string_view name) {
  for (const auto& l : kLevels) {
    if (l.name == name) return l.level;
  }
  return std::nullopt;
}

std::string_view OrgTypeName(OrgLevel level) {
  for (const auto& l : kLevels) {
    if (l.level == level) return l.type;
  }
  return "";
}

std::optional<OrgLevel> ParseOrgType(std::string_view type) {
  for (const auto& l : kLevels) {
    if (l.type == type) return l.level;
  }
  return std::nullopt;
}

std::optional<OrgLevel> ParentLevel(OrgLevel level) {
  switch (level) {
    case OrgLevel::kPractice: return OrgLevel::kPcn;
    case OrgLevel::kPcn: return OrgLevel::kPlace;
    case OrgLevel::kPlace: return OrgLevel::kIcs;
    case OrgLevel::kIcs: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace tributary::server
