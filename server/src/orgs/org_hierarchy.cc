#include "orgs/org_hierarchy.h"

namespace tributary::server {

OrgHierarchy::OrgHierarchy(std::vector<Organisation> organisations) {
  for (Organisation& org : organisations) by_code_[org.code].push_back(std::move(org));
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
  for (const Organisation* practice : At(OrgLevel::kPractice, date)) {
    if (AncestorOf(practice->code, org->level, date) == org->code) {
      practices.push_back(practice->code);
    }
  }
  return practices;
}

}  // namespace tributary::server
