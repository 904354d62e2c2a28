#include "sync/heartbeat.h"

#include <algorithm>

#include "sync/certificate_renewal.h"
#include "sync/server_refusal.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/log.h"
#include "tributary/common/pki.h"
#include "tributary/protocol/codec.h"

namespace tributary::agent {
namespace {

// The CAs the server says to trust it by (a CA rollover), kept as ca.pem
// when they differ from those trusted now and include at least one of them:
// the server proved itself with one, so it may add another, never swap all.
void TrustCasFromServer(const AgentPaths& paths, const std::vector<std::string>& trusted,
                        const std::string& bundle_pem) {
  if (bundle_pem.empty()) return;  // a server from before CA rollovers
  std::vector<std::string> offered;
  for (const pki::CertificateInfo& ca : pki::ReadCertificates(bundle_pem)) {
    if (!ca.is_ca) {
      throw Error::Protocol("the server offered a certificate that is not a CA's (" +
                            ca.sha256_hex + ") to trust it by; ca.pem was kept");
    }
    offered.push_back(ca.sha256_hex);
  }
  if (offered == trusted) return;
  bool continues = std::any_of(offered.begin(), offered.end(), [&](const std::string& sha) {
    return std::find(trusted.begin(), trusted.end(), sha) != trusted.end();
  });
  if (!continues) {
    throw Error::Protocol(
        "the server offered CAs none of which this agent trusts now; ca.pem was kept");
  }
  files::WriteAtomic(paths.CaCertificate(), bundle_pem);
  std::string list;
  for (const std::string& sha : offered) list += (list.empty() ? "" : ",") + sha;
  log::Info("ca_trust_updated", "sha256=" + list);
}

}  // namespace

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
  for (const pki::CertificateInfo& ca : pki::ReadCertificates(files::Read(paths.CaCertificate()))) {
    h.trusted_ca_sha256.push_back(ca.sha256_hex);
  }
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
  auto reply = protocol::DecodeHeartbeatReply(response.body);
  if (!reply.ok()) {
    throw Error::Protocol("heartbeat reply: " + reply.error().field + " " + reply.error().message);
  }
  TrustCasFromServer(paths, h.trusted_ca_sha256, reply.value().ca_certificates_pem);
  return true;
}

}  // namespace tributary::agent
