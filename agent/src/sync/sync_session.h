// One sync: renew the certificate if it is close to expiry, push the whole
// outbox (after asking the server for the keys of people new to the
// practice, sync/pending_key_client.h), pull the server's notices, and send a heartbeat — what
// `tributary-agent sync` runs once and the daemon runs on its schedule.
// Failures are Errors (see sync/server_refusal.h); whatever was acknowledged
// before a failure stays acknowledged. The outcome, good or bad, is kept in
// the store for `status` (last_sync, last_error).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "config/agent_config.h"
#include "store/local_store.h"
#include "sync/https_client.h"
#include "sync/pending_key_client.h"
#include "sync/push_client.h"
#include "tributary/common/hlc.h"

namespace tributary::agent {

struct SyncTarget {
  std::string server_url;  // without a trailing slash
  std::string proxy;       // empty: libcurl's environment
  std::chrono::seconds request_timeout{120};
  std::size_t batch_size = 5000;
  std::chrono::seconds renew_before{std::chrono::hours(24 * 30)};
};

// The server and proxy from the store and configuration (flags may override).
SyncTarget SyncTargetFor(LocalStore& store, const AgentConfig& config);

// A client of `target` as this agent: it trusts the server's CA alone and
// presents the agent's certificate.
HttpsClientOptions AgentClientOptions(const AgentPaths& paths, const SyncTarget& target);

struct SyncResult {
  PushSummary pushed;
  std::size_t notices = 0;
  bool renewed = false;
  std::size_t people_rekeyed = 0;  // workforce records moved to person keys made with the server
  PendingKeysResult keys;          // people new to the practice keyed, their records released
  bool heartbeat_sent = false;
  HttpTraffic traffic;  // every request of the sync
};

SyncResult SyncOnce(LocalStore& store, const AgentPaths& paths, const SyncTarget& target,
                    const Clock& clock);

}  // namespace tributary::agent
