// Person keys made with the server (docs/design.md invariant 7): an enrolled
// agent sends person identifiers it has blinded (RFC 9497's OPRF,
// ristretto255-SHA512); the service evaluates them with the server's OPRF
// key, which never leaves the server. It never sees an identifier, and no
// practice holds anything that would let it key one without asking.
//
// Each practice has an allowance of evaluations a day (UTC): a practice
// keys its staff once and caches them, so asking for far more than it
// employs is refused and audited (a stolen identity walking the register).
//
// Thread-safe: the key is read-only; the allowance is the store's.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "enrol/agent_registry.h"
#include "store/server_store.h"
#include "tributary/common/oprf.h"

namespace tributary::server {

inline constexpr std::int64_t kDefaultPersonKeysPerDay = 2000;

struct PersonKeyAnswer {
  // Empty when refused.
  std::vector<oprf::Element> evaluated;
  bool refused = false;         // the practice's allowance for today is spent
  std::int64_t used_today = 0;  // evaluations today, these included when given
  std::int64_t daily_limit = 0;
};

class PersonKeyService {
 public:
  // `store` must outlive the service.
  PersonKeyService(ServerStore& store, oprf::Key key,
                   std::int64_t daily_limit = kDefaultPersonKeysPerDay)
      : store_(store), key_(std::move(key)), daily_limit_(daily_limit) {}

  // Evaluates every element for `agent`'s practice, in order, or none: an
  // element that is not a valid ristretto255 element throws
  // Error(kInvalidInput) before anything is counted.
  PersonKeyAnswer Evaluate(const AgentIdentity& agent, const std::vector<oprf::Element>& blinded);

 private:
  std::optional<std::int64_t> TakeEvaluations(const AgentIdentity& agent, std::int64_t count);

  ServerStore& store_;
  const oprf::Key key_;
  const std::int64_t daily_limit_;
};

}  // namespace tributary::server
