// Enrolment on the server side: one-time tokens, and certificates for the
// agents that present them.
//
// Thread-safe (the store serialises).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "enrol/agent_registry.h"
#include "store/server_store.h"
#include "tributary/common/pki.h"
#include "tributary/protocol/messages.h"

namespace tributary::server {

struct NewToken {
  std::string token;  // shown once; only its hash is stored
  std::string practice;
  std::string expires;  // ISO time
};

inline constexpr std::chrono::seconds kAgentCertificateValidity{std::chrono::hours(24 * 90)};
// An agent renews at most once in this long (enrolment does not count): a
// stolen certificate cannot be
// turned into a stream of fresh ones, and a renewal whose reply was lost is
// tried again the next day with the certificate that still works.
inline constexpr std::chrono::seconds kRenewalInterval{std::chrono::hours(24)};
// The longest an enrolment token may wait to be used: one that lies about in
// an e-mail for months is a standing key to the ICS.
inline constexpr std::chrono::seconds kLongestTokenTtl{std::chrono::hours(24 * 30)};

class EnrolmentService {
 public:
  // `store` and `clock` must outlive the service.
  // `signing_public_key` (hex) is given to every agent enrolled, for its receipts.
  EnrolmentService(ServerStore& store, pki::Authority authority, const Clock& clock,
                   std::string signing_public_key = "");

  // Throws Error(kInvalidArgument) for a malformed practice code, or a TTL
  // that is not positive or is longer than kLongestTokenTtl.
  NewToken CreateToken(const std::string& practice, std::chrono::seconds ttl);

  // Exchanges a token and CSR for a certificate. Throws Error kUnauthorized
  // (unknown, used or expired token — the message says which) or
  // kInvalidInput (a bad CSR).
  protocol::EnrolReply Enrol(const protocol::EnrolRequest& request);

  // How long the agent must wait before it may renew (zero: it may now):
  // kRenewalInterval from its last renewal.
  std::chrono::seconds RenewalWait(const AgentIdentity& agent);

  // A new certificate for an enrolled agent's new key (POST /v1/renew); the
  // caller checks RenewalWait first; nullopt when another renewal of the
  // agent's came first (the store checks the interval in its transaction).
  // Throws Error(kInvalidInput) for a bad CSR.
  std::optional<protocol::RenewReply> Renew(const AgentIdentity& agent,
                                            const protocol::RenewRequest& request);

  const std::string& ca_certificate_pem() const { return authority_.certificate_pem; }

  // The CAs agents are to trust the server by (enrol/ca_rollover.h's
  // AgentTrustBundle), given in each heartbeat reply; the CA alone unless
  // set. Set before serving.
  void TrustAgentsBy(std::string bundle_pem) { agent_trust_pem_ = std::move(bundle_pem); }
  const std::string& agent_trust_pem() const {
    return agent_trust_pem_.empty() ? authority_.certificate_pem : agent_trust_pem_;
  }

  // The CA's certificate revocation list (DER), signed now and valid a week:
  // every revoked agent's certificates not yet expired (GET /v1/crl).
  std::string RevocationList();

 private:
  ServerStore& store_;
  pki::Authority authority_;
  const Clock& clock_;
  const std::string signing_public_key_;
  std::string agent_trust_pem_;
};

// Parses a TTL such as "7d", "12h", "30m" or "3600s".
std::chrono::seconds ParseTtl(const std::string& text);

}  // namespace tributary::server
