#include "importer/cached_person_keys.h"

#include <set>

#include "tributary/common/error.h"

namespace tributary::agent {

std::vector<std::string> CachedPersonKeys::KeysFor(const std::vector<std::string>& identities) {
  std::map<std::string, std::string> known = store_.KnownPersonKeys(identities);
  std::vector<std::string> unknown;
  std::set<std::string> asked;
  for (const std::string& identity : identities) {
    if (known.count(identity) == 0 && asked.insert(identity).second) unknown.push_back(identity);
  }
  if (!unknown.empty()) {
    const std::string needed =
        std::to_string(unknown.size()) + (unknown.size() == 1 ? " person is" : " people are") +
        " new to this practice, and a person key is made with the server, once for each new "
        "person; nothing was stored";
    if (remote_ == nullptr) throw Error::Unavailable(needed);
    std::vector<std::string> made;
    try {
      made = remote_->KeysFor(unknown);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kNetwork) throw;
      throw Error::Unavailable(needed + " (" + e.what() + ")");
    }
    std::map<std::string, std::string> fresh;
    for (std::size_t i = 0; i < unknown.size(); ++i) fresh[unknown[i]] = made.at(i);
    store_.RememberPersonKeys(fresh);
    known.insert(fresh.begin(), fresh.end());
  }
  std::vector<std::string> keys;
  keys.reserve(identities.size());
  for (const std::string& identity : identities) keys.push_back(known.at(identity));
  return keys;
}

}  // namespace tributary::agent
