#include "sync/certificate_renewal.h"

#include <algorithm>
#include <optional>

#include "sync/server_refusal.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/key_pair_files.h"
#include "tributary/common/log.h"
#include "tributary/common/pki.h"
#include "tributary/protocol/codec.h"

namespace tributary::agent {
namespace {

// When the server last said it would take a renewal (ms since the epoch).
constexpr const char* kRenewalNotBefore = "renewal_not_before_ms";

}  // namespace

std::int64_t CertificateNotAfterMs(const AgentPaths& paths) {
  pki::CertificateInfo info = pki::ReadCertificate(files::Read(paths.Certificate()));
  return std::chrono::duration_cast<std::chrono::milliseconds>(info.not_after.time_since_epoch())
      .count();
}

void FinishRenewal(const AgentPaths& paths) {
  files::FinishKeyPair(paths.Key(), paths.Certificate());
}

bool RenewIfDue(Transport& client, const std::string& server_url, const AgentPaths& paths,
                LocalStore& store, const Clock& clock, std::chrono::seconds renew_before) {
  std::int64_t not_after = CertificateNotAfterMs(paths);
  if (not_after - clock.NowMillis() > std::chrono::milliseconds(renew_before).count()) {
    return false;
  }
  // The server said when it would take a renewal; the certificate still works.
  std::optional<std::string> deferred = store.GetState(kRenewalNotBefore);
  if (deferred && !deferred->empty() && clock.NowMillis() < std::stoll(*deferred)) return false;
  std::string key_pem = pki::GeneratePrivateKeyPem();
  protocol::RenewRequest request;
  request.csr_pem = pki::MakeCsrPem(key_pem, "tributary-agent");
  request.agent_version = TRIBUTARY_VERSION;
  HttpsResponse response = client.Post(server_url + "/v1/renew", protocol::Encode(request),
                                       {"Content-Type: application/json"});
  if (response.status == 429) {
    // Renewed too recently (a reply lost on the way, or a second agent on
    // this identity): sync goes on with the certificate in place.
    long seconds = std::max(response.retry_after_seconds, 60L);
    store.SetState(kRenewalNotBefore, std::to_string(clock.NowMillis() + seconds * 1000));
    log::Warning("certificate_renewal_deferred",
                 "the server takes a renewal in " + std::to_string(seconds) + " s");
    return false;
  }
  if (response.status != 200) ThrowServerRefusal(response, "renew");
  auto reply = protocol::DecodeRenewReply(response.body);
  if (!reply.ok()) {
    throw Error::Protocol("renew reply: " + reply.error().field + " " + reply.error().message);
  }
  pki::CertificateInfo issued = pki::ReadCertificate(reply.value().certificate_pem);
  files::ReplaceKeyPair(paths.Key(), key_pem, paths.Certificate(), reply.value().certificate_pem);
  store.SetStates({{"certificate_serial", issued.serial_hex}, {kRenewalNotBefore, ""}});
  log::Info("certificate_renewed", "serial=" + issued.serial_hex);
  return true;
}

}  // namespace tributary::agent
