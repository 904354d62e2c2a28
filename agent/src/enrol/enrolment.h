// Enrolment: a one-time token exchanged for this agent's identity.
//
// The agent generates its own key (it never leaves the machine), fetches the
// server's CA and checks it against the fingerprint the operator gave, then
// sends a CSR with the token over TLS verified by that CA. The reply's
// certificate names the practice; with it comes the ICS's person-key secret.
#pragma once

#include <cstddef>
#include <string>

#include "config/agent_config.h"
#include "store/local_store.h"

namespace tributary::agent {

struct EnrolmentRequest {
  std::string server_url;  // "https://host:port"
  std::string token;
  std::string ca_sha256;  // hex, colons and case ignored
  std::string proxy;
};

// The most the unverified GET /v1/ca may send: a CA certificate is ~1 KiB.
inline constexpr std::size_t kMaxCaResponseBytes = 64 * 1024;

// Returns the practice code enrolled. Throws tributary::Error; on failure no
// file or state of an earlier enrolment is changed.
std::string Enrol(const EnrolmentRequest& request, const AgentPaths& paths, LocalStore& store);

}  // namespace tributary::agent
