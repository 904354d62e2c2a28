#include "orgs/org_directory.h"

#include "store/server_store.h"

namespace tributary::server {

std::shared_ptr<const OrgHierarchy> OrgDirectory::Hierarchy() { return store_.Hierarchy(); }

std::string OrgDirectory::NameOf(const std::string& code, const std::string& period) {
  const Organisation* org = store_.Hierarchy()->Find(code, period + "-01");
  if (org == nullptr || org->name.empty()) return code;
  return org->name + " (" + code + ")";
}

}  // namespace tributary::server
