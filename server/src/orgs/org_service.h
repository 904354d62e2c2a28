// The organisation hierarchy as the operator imports it (`orgs import`) and
// the server's parts read it whole. Each call is one unit of work of the
// store (store/server_store.h) on orgs/hierarchy_store.h's tables; the
// hierarchy built from them is shared by every reader through
// ServerStore::Hierarchy.
//
// Failures throw tributary::Error (the store's). Thread-safe as the store
// is; holds only a reference to the store, which must outlive it.
#pragma once

#include <string>
#include <vector>

#include "orgs/organisation.h"

namespace tributary::server {

class ServerStore;

class OrgService {
 public:
  explicit OrgService(ServerStore& store) : store_(store) {}

  // Replaces the whole hierarchy, audited. Returns false, changing nothing,
  // when the same file (`file_sha256`) was the last one imported.
  bool Replace(const std::vector<Organisation>& organisations, const std::string& file_sha256);
  // Every organisation of every import's rows now held, by code and start.
  std::vector<Organisation> All();

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
