#include "orgs/organisation.h"

#include "tributary/common/enum_names.h"

namespace tributary::server {
namespace {

using enum OrgLevel;

// The names the API and rollups use, and the ORG_TYPE of orgs.csv.
constexpr EnumNames<OrgLevel, 4> kLevelNames{
    {{kPractice, "practice"}, {kPcn, "pcn"}, {kPlace, "place"}, {kIcs, "ics"}}};
constexpr EnumNames<OrgLevel, 4> kOrgTypes{
    {{kPractice, "PRACTICE"}, {kPcn, "PCN"}, {kPlace, "PLACE"}, {kIcs, "ICS"}}};

}  // namespace

std::string_view LevelName(OrgLevel level) { return NameOf(kLevelNames, level); }

std::optional<OrgLevel> ParseLevel(std::string_view name) { return ValueOf(kLevelNames, name); }

std::string_view OrgTypeName(OrgLevel level) { return NameOf(kOrgTypes, level); }

std::optional<OrgLevel> ParseOrgType(std::string_view type) { return ValueOf(kOrgTypes, type); }

OrgLevel StoredOrgType(std::string_view type, const std::string& where) {
  return StoredValueOf(kOrgTypes, type, "organisation type", where);
}

std::optional<OrgLevel> ParentLevel(OrgLevel level) {
  switch (level) {
    case kPractice:
      return kPcn;
    case kPcn:
      return kPlace;
    case kPlace:
      return kIcs;
    case kIcs:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace tributary::server
