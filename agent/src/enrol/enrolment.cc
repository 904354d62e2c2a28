#include "enrol/enrolment.h"

#include <algorithm>
#include <cctype>

#include "sync/https_client.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/pki.h"
#include "tributary/protocol/codec.h"

namespace tributary::agent {
namespace {

std::string NormaliseFingerprint(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), ':'), text.end());
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string TrimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// Fetches the server's CA certificate and accepts it only if its SHA-256
// matches what the operator gave: the TLS connection for this one request is
// not verified, the content is.
std::string FetchPinnedCa(const EnrolmentRequest& request) {
  HttpsClientOptions options;
  options.insecure_skip_verify = true;
  options.proxy = request.proxy;
  // Nothing from this connection is trusted until its hash is checked, so
  // it may not send more than a certificate, nor take long about it.
  options.max_response_bytes = kMaxCaResponseBytes;
  options.total_timeout = std::chrono::seconds(30);
  HttpsClient client(options);
  HttpsResponse response = client.Get(TrimSlash(request.server_url) + "/v1/ca");
  if (response.status != 200) {
    throw Error::Protocol("GET /v1/ca answered HTTP " + std::to_string(response.status));
  }
  pki::CertificateInfo info = pki::ReadCertificate(response.body);
  if (info.sha256_hex != NormaliseFingerprint(request.ca_sha256)) {
    throw Error::Unauthorized("the server's CA fingerprint " + info.sha256_hex +
                              " does not match --ca-sha256 " + request.ca_sha256 +
                              "; not enrolling (check the fingerprint the operator gave you)");
  }
  return response.body;
}

std::string ErrorMessage(const HttpsResponse& response) {
  auto decoded = protocol::DecodeErrorReply(response.body);
  if (decoded.ok()) return decoded.value().message + " [" + decoded.value().code + "]";
  return "HTTP " + std::to_string(response.status);
}

}  // namespace

std::string Enrol(const EnrolmentRequest& request, const AgentPaths& paths, LocalStore& store) {
  if (request.server_url.rfind("https://", 0) != 0) {
    throw Error::InvalidArgument("--server must be an https:// URL");
  }
  std::string ca_pem = FetchPinnedCa(request);
  std::string key_pem = pki::GeneratePrivateKeyPem();
  protocol::EnrolRequest message;
  message.token = request.token;
  message.csr_pem = pki::MakeCsrPem(key_pem, "tributary-agent");
  message.agent_version = TRIBUTARY_VERSION;
  // Enrolling again: what the old identity already delivered is not sent twice.
  message.resume_after_seq = store.AcknowledgedSeq();

  HttpsClientOptions options;
  options.ca_certificate_pem = ca_pem;
  options.proxy = request.proxy;
  HttpsClient client(options);
  HttpsResponse response =
      client.Post(TrimSlash(request.server_url) + "/v1/enrol", protocol::Encode(message),
                  {"Content-Type: application/json"});
  if (response.status != 200) {
    std::string why = ErrorMessage(response);
    if (response.status == 401 || response.status == 403) throw Error::Unauthorized(why);
    throw Error::Protocol("enrolment refused: " + why);
  }
  auto reply = protocol::DecodeEnrolReply(response.body);
  if (!reply.ok()) {
    throw Error::Protocol("enrolment reply: " + reply.error().field + " " + reply.error().message);
  }
  pki::CertificateInfo certificate = pki::ReadCertificate(reply.value().certificate_pem);
  if (certificate.common_name != reply.value().practice) {
    throw Error::Protocol("the issued certificate names " + certificate.common_name +
                          ", not practice " + reply.value().practice);
  }
  auto enrolled = store.GetState("practice");
  if (enrolled && *enrolled != reply.value().practice) {
    throw Error::Conflict("this data directory belongs to practice " + *enrolled +
                          "; the token is for " + reply.value().practice +
                          ". Use a separate --data-dir for each practice");
  }
  files::WriteAtomic(paths.Key(), key_pem);
  files::WriteAtomic(paths.Certificate(), reply.value().certificate_pem);
  files::WriteAtomic(paths.CaCertificate(), ca_pem);
  store.SetStates({{"practice", reply.value().practice},
                   {"server_url", TrimSlash(request.server_url)},
                   {"certificate_serial", certificate.serial_hex},
                   {"signing_public_key", reply.value().signing_public_key}});
  return reply.value().practice;
}

}  // namespace tributary::agent
