#include "sync/sync_session.h"

#include <algorithm>

#include "importer/cached_person_keys.h"
#include "sync/certificate_renewal.h"
#include "sync/heartbeat.h"
#include "sync/pending_key_client.h"
#include "sync/person_key_client.h"
#include "sync/person_rekey.h"
#include "sync/pull_client.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

namespace tributary::agent {

SyncTarget SyncTargetFor(LocalStore& store, const AgentConfig& config) {
  SyncTarget target;
  target.server_url = store.GetState("server_url").value_or(config.server_url);
  while (!target.server_url.empty() && target.server_url.back() == '/') {
    target.server_url.pop_back();
  }
  target.proxy = config.proxy;
  target.request_timeout = std::chrono::seconds(config.request_timeout_seconds);
  target.batch_size = config.batch_size;
  target.renew_before = std::chrono::hours(24 * config.renew_before_days);
  return target;
}

HttpsClientOptions AgentClientOptions(const AgentPaths& paths, const SyncTarget& target) {
  HttpsClientOptions options;
  options.ca_certificate_pem = files::Read(paths.CaCertificate());
  options.client_certificate_path = paths.Certificate().string();
  options.client_key_path = paths.Key().string();
  options.proxy = target.proxy;
  options.total_timeout = target.request_timeout;
  options.connect_timeout = std::min(options.connect_timeout, options.total_timeout);
  return options;
}

SyncResult SyncOnce(LocalStore& store, const AgentPaths& paths, const SyncTarget& target,
                    const Clock& clock) {
  FinishRenewal(paths);
  HttpsClient client(AgentClientOptions(paths, target));
  try {
    SyncResult result;
    result.renewed =
        RenewIfDue(client, target.server_url, paths, store, clock, target.renew_before);
    // Keys made with the ICS's old secret move to keys made with the server
    // first, so the outbox sends them like any change.
    PersonKeyClient person_keys(client, target.server_url);
    CachedPersonKeys cached(store, &person_keys);
    result.people_rekeyed = RekeyPeopleIfNeeded(store, cached);
    // People new to the practice get their keys, so their records go in this push.
    result.keys = KeyPendingPeople(store, person_keys);
    PushClient push(store, client, target.server_url, target.batch_size, clock);
    result.pushed = push.PushAll();
    PullClient pull(store, client, target.server_url);
    result.notices = pull.PullAll();
    // A server restored from a backup holds less than it acknowledged: send
    // it the rest again, now rather than at the next change.
    if (auto held = pull.server_acknowledged(); held && *held < store.AcknowledgedSeq()) {
      push.ResendAfter(*held);
      PushSummary again = push.PushAll();
      result.pushed.changes_sent += again.changes_sent;
      result.pushed.batches += again.batches;
      result.pushed.acknowledged_seq = again.acknowledged_seq;
      result.pushed.invalid += again.invalid;
      result.pushed.conflicts += again.conflicts;
      result.pushed.refused.insert(result.pushed.refused.end(), again.refused.begin(),
                                   again.refused.end());
    }
    // A sync that had nothing to send is a sync too.
    store.SetStates({{"last_error", ""}, {"last_sync", FormatUtc(clock.NowMillis())}});
    result.heartbeat_sent = SendHeartbeatIfDue(client, target.server_url, store, paths, clock);
    result.traffic = client.traffic();
    return result;
  } catch (const Error& e) {
    // Kept for `status`, then passed on.
    store.SetState("last_error", std::string(ErrorCodeName(e.code())) + ": " + e.what());
    throw;
  }
}

}  // namespace tributary::agent
