#include "sync/heartbeat.h"

#include "sync/certificate_renewal.h"
#include "sync/server_refusal.h"
#include "tributary/protocol/codec.h"

namespace tributary::agent {

bool SendHeartbeatIfDue(Transport& client, const std::string& server_url, LocalStore& store,
                        const AgentPaths& paths, const Clock& clock) {
  protocol::Heartbeat h;
  h.agent_version = TRIBUTARY_VERSION;
  h.queue_depth = store.PendingCount();
  h.last_seq = store.LastSeq();
  h.store_bytes = store.UsedBytes();
  h.certificate_not_after_ms = static_cast<std::uint64_t>(CertificateNotAfterMs(paths));
  h.last_error = store.GetState("last_error").value_or("");
  h.imports_paused = !store.GetState("imports_paused").value_or("").empty();
  // What the server knows already: everything but the clock, which always moves.
  const std::string health = protocol::Encode(h);
  const std::int64_t now = clock.NowMillis();
  const std::int64_t sent_at = std::stoll(store.GetState("heartbeat_sent_at_ms").value_or("0"));
  const bool fresh = sent_at > 0 && sent_at <= now && now - sent_at < kHeartbeatRefreshMs;
  if (fresh && store.GetState("heartbeat_sent").value_or("") == health) return false;

  h.agent_time_ms = static_cast<std::uint64_t>(now);
  HttpsResponse response = client.Post(server_url + "/v1/agent/heartbeat", protocol::Encode(h),
                                       {"Content-Type: application/json"});
  if (response.status != 200) ThrowServerRefusal(response, "heartbeat");
  store.SetState("heartbeat_sent", health);
  store.SetState("heartbeat_sent_at_ms", std::to_string(now));
  return true;
}

}  // namespace tributary::agent
