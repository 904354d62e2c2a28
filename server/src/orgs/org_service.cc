#include "orgs/org_service.h"

#include "orgs/hierarchy_store.h"
#include "store/server_store.h"

namespace tributary::server {

bool OrgService::Replace(const std::vector<Organisation>& organisations,
                         const std::string& file_sha256) {
  return store_.Write([&](StoreTransaction& t) {
    if (!HierarchyStore(t.db()).Replace(organisations, file_sha256, t.NowMs())) return false;
    t.Audit("operator", "orgs_import", "hierarchy",
            std::to_string(organisations.size()) + " rows, sha256 " + file_sha256);
    return true;
  });
}

std::vector<Organisation> OrgService::All() {
  return store_.Read([](StoreReading& r) { return HierarchyStore(r.db()).All(); });
}

}  // namespace tributary::server
