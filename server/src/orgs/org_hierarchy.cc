#include "orgs/org_hierarchy.h"

#include <algorithm>

namespace tributary::server {

OrgHierarchy::OrgHierarchy(std::vector<Organisation> organisations) {
  for (Organisation& org : organisations) {
    if (!org.parent.empty()) {
      std::vector<std::string>& siblings = children_[org.parent];
      if (std::find(siblings.begin(), siblings.end(), org.code) == siblings.end()) {
        siblings.push_back(org.code);
      }
    }
    by_code_[org.code].push_back(std::move(org));
  }
}

const Organisation* OrgHierarchy::Find(std::string_view code, std::string_view date) const {
  auto it = by_code_.find(code);
  if (it == by_code_.end()) return nullptr;
  for (const Organisation& org : it->second) {
    if (org.ValidOn(date)) return &org;
  }
  return nullptr;
}

std::optional<std::string> OrgHierarchy::AncestorOf(std::string_view practice, OrgLevel level,
                                                    std::string_view date) const {
  const Organisation* org = Find(practice, date);
  if (org == nullptr || org->level != OrgLevel::kPractice) return std::nullopt;
  while (org->level != level) {
    org = Find(org->parent, date);
    if (org == nullptr) return std::nullopt;
  }
  return org->code;
}

std::optional<std::string> OrgHierarchy::IcsOf(std::string_view code, std::string_view date) const {
  const Organisation* org = Find(code, date);
  // Each step goes a level up, so four steps reach an ICS if anything does.
  for (int step = 0; org != nullptr && step < 4; ++step) {
    if (org->level == OrgLevel::kIcs) return org->code;
    org = Find(org->parent, date);
  }
  return std::nullopt;
}

std::vector<const Organisation*> OrgHierarchy::At(OrgLevel level, std::string_view date) const {
  std::vector<const Organisation*> found;
  for (const auto& [code, spans] : by_code_) {
    const Organisation* org = Find(code, date);
    if (org != nullptr && org->level == level) found.push_back(org);
  }
  return found;
}

std::vector<std::string> OrgHierarchy::PracticesUnder(std::string_view code,
                                                      std::string_view date) const {
  const Organisation* org = Find(code, date);
  std::vector<std::string> practices;
  if (org == nullptr) return practices;
  std::vector<const Organisation*> pending{org};
  while (!pending.empty()) {
    const Organisation* above = pending.back();
    pending.pop_back();
    if (above->level == OrgLevel::kPractice) {
      practices.push_back(above->code);
      continue;
    }
    auto children = children_.find(above->code);
    if (children == children_.end()) continue;
    for (const std::string& child_code : children->second) {
      const Organisation* child = Find(child_code, date);
      // Only a child of `above` that day, and only downwards: a malformed
      // file with a loop cannot make this walk forever.
      if (child != nullptr && child->parent == above->code && child->level < above->level) {
        pending.push_back(child);
      }
    }
  }
  std::sort(practices.begin(), practices.end());
  return practices;
}

}  // namespace tributary::server
