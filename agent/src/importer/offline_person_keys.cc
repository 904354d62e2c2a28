#include "importer/offline_person_keys.h"

#include <map>

namespace tributary::agent {

std::vector<std::string> OfflinePersonKeys::KeysFor(const std::vector<std::string>& identities) {
  std::map<std::string, std::string> known = store_.KnownPersonKeys(identities);
  std::map<std::string, std::string> made;  // this call's placeholders, by identity
  std::vector<std::string> keys;
  keys.reserve(identities.size());
  for (const std::string& identity : identities) {
    if (auto it = known.find(identity); it != known.end()) {
      keys.push_back(it->second);
      continue;
    }
    auto placeholder = made.find(identity);
    if (placeholder == made.end()) {
      std::optional<std::string> waiting = store_.PendingPlaceholderFor(identity);
      placeholder = made.emplace(identity, waiting ? *waiting : NewPendingPersonKey()).first;
    }
    keys.push_back(placeholder->second);
  }
  return keys;
}

}  // namespace tributary::agent
