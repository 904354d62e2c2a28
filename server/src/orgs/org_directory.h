// The organisation hierarchy for whoever shows it (the web pages): the
// shared hierarchy as stored now, and organisations named as people know
// them. Read-only; thread-safe as the store is; holds only a reference to
// the store (store/server_store.h), which must outlive it.
#pragma once

#include <memory>
#include <string>

#include "orgs/org_hierarchy.h"

namespace tributary::server {

class ServerStore;

class OrgDirectory {
 public:
  explicit OrgDirectory(ServerStore& store) : store_(store) {}

  // The hierarchy, built once per import and shared (ServerStore::Hierarchy).
  std::shared_ptr<const OrgHierarchy> Hierarchy();
  // "Name (CODE)" as the hierarchy has it on the month's first day, or the
  // code alone when it has no name for it then.
  std::string NameOf(const std::string& code, const std::string& period);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
