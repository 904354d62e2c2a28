// An organisation in the hierarchy practice -> PCN -> place -> ICS, valid
// over a span of days. A practice that moves PCN has two rows.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tributary::server {

enum class OrgLevel { kPractice, kPcn, kPlace, kIcs };

// "practice", "pcn", "place", "ics": the names the API and rollups use.
std::string_view LevelName(OrgLevel level);
std::optional<OrgLevel> ParseLevel(std::string_view name);
// The ORG_TYPE of orgs.csv (docs/data.md): "PRACTICE", "PCN", "PLACE", "ICS".
std::string_view OrgTypeName(OrgLevel level);
std::optional<OrgLevel> ParseOrgType(std::string_view type);
// An ORG_TYPE as the store keeps it: anything else is damage,
// Error(kCorruption) naming `where`.
OrgLevel StoredOrgType(std::string_view type, const std::string& where);
// The level above, or nullopt for an ICS.
std::optional<OrgLevel> ParentLevel(OrgLevel level);

struct Organisation {
  std::string code;
  std::string name;
  OrgLevel level = OrgLevel::kPractice;
  std::string parent;      // empty for an ICS
  std::string valid_from;  // ISO date, inclusive
  std::string valid_to;    // ISO date, inclusive; empty: still valid

  bool ValidOn(std::string_view iso_date) const {
    return valid_from <= iso_date && (valid_to.empty() || iso_date <= valid_to);
  }
};

}  // namespace tributary::server
