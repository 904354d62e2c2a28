#include "sync/heartbeat.h"

#include "sync/certificate_renewal.h"
#include "sync/server_refusal.h"
#include "tributary/protocol/codec.h"

namespace tributary::agent {

void SendHeartbeat(HttpsClient& client, const std::string& server_url, LocalStore& store,
                   const AgentPaths& paths, const Clock& clock) {
  protocol::Heartbeat h;
  h.agent_version = TRIBUTARY_VERSION;
  h.queue_depth = store.PendingCount();
  h.last_seq = store.LastSeq();
  h.store_bytes = store.UsedBytes();
  h.agent_time_ms = static_cast<std::uint64_t>(clock.NowMillis());
  h.certificate_not_after_ms = static_cast<std::uint64_t>(CertificateNotAfterMs(paths));
  h.last_error = store.GetState("last_error").value_or("");
  h.imports_paused = !store.GetState("imports_paused").value_or("").empty();
  HttpsResponse response = client.Post(server_url + "/v1/agent/heartbeat", protocol::Encode(h),
                                       {"Content-Type: application/json"});
  if (response.status != 200) ThrowServerRefusal(response, "heartbeat");
}

}  // namespace tributary::agent
