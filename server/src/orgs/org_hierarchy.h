// The organisation hierarchy as it stood on a given day: who a practice's
// PCN, place and ICS were, and which practices an organisation covered.
// Rollups for a month use the hierarchy of the month's first day, so a
// practice that moves PCN on 1 July counts under its old PCN for June.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orgs/organisation.h"

namespace tributary::server {

class OrgHierarchy {
 public:
  explicit OrgHierarchy(std::vector<Organisation> organisations);

  bool empty() const { return by_code_.empty(); }

  // `code` as it was on `date`, or nullptr if it did not exist then.
  const Organisation* Find(std::string_view code, std::string_view date) const;

  // The practice's organisation at `level` on `date`: itself for kPractice,
  // its PCN, place or ICS otherwise. nullopt if the chain is broken that day.
  std::optional<std::string> AncestorOf(std::string_view practice, OrgLevel level,
                                        std::string_view date) const;

  // The ICS `code` (of any level) was under on `date`: itself for an ICS;
  // nullopt if the chain is broken that day.
  std::optional<std::string> IcsOf(std::string_view code, std::string_view date) const;

  // Every organisation at `level` valid on `date`, by code.
  std::vector<const Organisation*> At(OrgLevel level, std::string_view date) const;

  // The practices `code` covered on `date` (a practice covers itself), by
  // code. Walks down from `code`, so the cost is the size of its subtree.
  std::vector<std::string> PracticesUnder(std::string_view code, std::string_view date) const;

 private:
  std::map<std::string, std::vector<Organisation>, std::less<>> by_code_;
  // Every code that names `parent` as its parent on some day; whether it
  // does on a given day is checked against its span for that day.
  std::map<std::string, std::vector<std::string>, std::less<>> children_;
};

}  // namespace tributary::server
