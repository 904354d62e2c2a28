#include "enrol/enrolment_service.h"

#include <ctime>

#include "enrol/agent_service.h"
#include "tributary/common/dates.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/ods_code.h"

namespace tributary::server {
namespace {

std::string IsoTime(std::int64_t ms) { return FormatUtc(ms); }

}  // namespace

std::chrono::seconds ParseTtl(const std::string& text) {
  if (text.size() < 2)
    throw Error::InvalidArgument("--ttl '" + text + "' is not like 7d, 12h, 30m");
  std::string number = text.substr(0, text.size() - 1);
  if (number.find_first_not_of("0123456789") != std::string::npos || number.size() > 6) {
    throw Error::InvalidArgument("--ttl '" + text + "' is not like 7d, 12h, 30m");
  }
  long long n = std::stoll(number);
  switch (text.back()) {
    case 'd':
      return std::chrono::hours(24 * n);
    case 'h':
      return std::chrono::hours(n);
    case 'm':
      return std::chrono::minutes(n);
    case 's':
      return std::chrono::seconds(n);
    default:
      throw Error::InvalidArgument("--ttl '" + text + "' is not like 7d, 12h, 30m");
  }
}

EnrolmentService::EnrolmentService(ServerStore& store, pki::Authority authority, const Clock& clock,
                                   std::string signing_public_key)
    : store_(store),
      authority_(std::move(authority)),
      clock_(clock),
      signing_public_key_(std::move(signing_public_key)) {}

NewToken EnrolmentService::CreateToken(const std::string& practice, std::chrono::seconds ttl) {
  if (!ods::IsPracticeCode(practice)) {
    throw Error::InvalidArgument("--practice '" + practice +
                                 "' is not a practice code (a letter and 5 digits, e.g. A81001)");
  }
  if (ttl.count() <= 0 || ttl > kLongestTokenTtl) {
    throw Error::InvalidArgument(
        "--ttl must be more than nothing and at most 30d: an enrolment token is used within "
        "days of being made (make a new one if it expires)");
  }
  NewToken token;
  token.token = digest::RandomHex(32);
  token.practice = practice;
  std::int64_t expires_ms =
      clock_.NowMillis() + std::chrono::duration_cast<std::chrono::milliseconds>(ttl).count();
  token.expires = IsoTime(expires_ms);
  AgentService(store_).AddToken(digest::Sha256Hex(token.token), practice, expires_ms);
  return token;
}

protocol::EnrolReply EnrolmentService::Enrol(const protocol::EnrolRequest& request) {
  protocol::EnrolReply reply;
  TokenRefusal refusal = AgentService(store_).EnrolWithToken(
      digest::Sha256Hex(request.token), [&](const std::string& practice) {
        pki::IssuedCertificate issued = pki::SignClientRequest(authority_, request.csr_pem,
                                                               practice, kAgentCertificateValidity);
        reply.practice = practice;
        reply.certificate_pem = issued.certificate_pem;
        return IssuedIdentity{digest::RandomHex(16), issued.serial_hex,
                              std::chrono::duration_cast<std::chrono::milliseconds>(
                                  issued.not_after.time_since_epoch())
                                  .count(),
                              request.resume_after_seq};
      });
  switch (refusal) {
    case TokenRefusal::kNone:
      break;
    case TokenRefusal::kUnknown:
      throw Error::Unauthorized("the enrolment token is not known");
    case TokenRefusal::kUsed:
      throw Error::Unauthorized("the enrolment token has already been used; ask for a new one");
    case TokenRefusal::kExpired:
      throw Error::Unauthorized("the enrolment token has expired; ask for a new one");
  }
  reply.ca_certificate_pem = authority_.certificate_pem;
  reply.signing_public_key = signing_public_key_;
  return reply;
}

std::chrono::seconds EnrolmentService::RenewalWait(const AgentIdentity& agent) {
  std::int64_t next_ms = AgentService(store_).LastRenewalMs(agent.agent_id) +
                         std::chrono::milliseconds(kRenewalInterval).count();
  std::int64_t wait_ms = next_ms - clock_.NowMillis();
  return std::chrono::seconds(wait_ms <= 0 ? 0 : (wait_ms + 999) / 1000);
}

std::optional<protocol::RenewReply> EnrolmentService::Renew(const AgentIdentity& agent,
                                                            const protocol::RenewRequest& request) {
  pki::IssuedCertificate issued = pki::SignClientRequest(authority_, request.csr_pem,
                                                         agent.practice, kAgentCertificateValidity);
  protocol::RenewReply reply;
  reply.certificate_pem = issued.certificate_pem;
  std::int64_t not_after_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(issued.not_after.time_since_epoch())
          .count();
  reply.not_after_ms = static_cast<std::uint64_t>(not_after_ms);
  if (!AgentService(store_).AddCertificate(agent.agent_id, issued.serial_hex, not_after_ms,
                                           std::chrono::milliseconds(kRenewalInterval).count())) {
    return std::nullopt;  // another renewal of the agent's came first
  }
  return reply;
}

std::string EnrolmentService::RevocationList() {
  return pki::IssueCrlDer(authority_, AgentService(store_).RevokedCertificates(),
                          std::chrono::hours(24 * 7));
}

}  // namespace tributary::server
