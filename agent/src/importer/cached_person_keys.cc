#include "importer/cached_person_keys.h"

#include <algorithm>
#include <set>

#include "tributary/common/error.h"
#include "tributary/protocol/messages.h"

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
    // Each request's keys are remembered as they arrive, so a practice with
    // more new people than its daily allowance keeps what it was given and
    // asks only for the rest the next day.
    for (std::size_t first = 0; first < unknown.size();
         first += protocol::kMaxPersonKeysPerRequest) {
      std::size_t last = std::min(unknown.size(), first + protocol::kMaxPersonKeysPerRequest);
      std::vector<std::string> chunk(unknown.begin() + static_cast<std::ptrdiff_t>(first),
                                     unknown.begin() + static_cast<std::ptrdiff_t>(last));
      std::vector<std::string> made;
      try {
        made = remote_->KeysFor(chunk);
      } catch (const Error& e) {
        if (e.code() != ErrorCode::kNetwork) throw;
        throw Error::Unavailable(needed + " (" + e.what() + ")");
      }
      if (made.size() != chunk.size()) {
        throw Error::Protocol("the server made " + std::to_string(made.size()) +
                              " person keys for " + std::to_string(chunk.size()) + " people");
      }
      std::map<std::string, std::string> fresh;
      for (std::size_t i = 0; i < chunk.size(); ++i) fresh[chunk[i]] = made[i];
      store_.RememberPersonKeys(fresh);
      known.insert(fresh.begin(), fresh.end());
    }
  }
  std::vector<std::string> keys;
  keys.reserve(identities.size());
  for (const std::string& identity : identities) keys.push_back(known.at(identity));
  return keys;
}

}  // namespace tributary::agent
