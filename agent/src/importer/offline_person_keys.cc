#include "importer/offline_person_keys.h"

namespace tributary::agent {

std::vector<std::string> OfflinePersonKeys::KeysFor(const std::vector<std::string>& identities) {
  std::map<std::string, std::string> known = store_.KnownPersonKeys(identities);
  std::vector<std::string> keys;
  keys.reserve(identities.size());
  for (const std::string& identity : identities) {
    if (auto it = known.find(identity); it != known.end()) {
      keys.push_back(it->second);
      continue;
    }
    auto made = made_.find(identity);
    if (made == made_.end()) {
      std::optional<std::string> waiting = store_.PendingPlaceholderFor(identity);
      made = made_.emplace(identity, waiting ? *waiting : NewPendingPersonKey()).first;
    }
    keys.push_back(made->second);
  }
  return keys;
}

}  // namespace tributary::agent
