// Moving every agent to a new CA without enrolling any of them again,
// before the CA ends (it lasts ten years) or when its key must be replaced:
//
//   ┌────────┐ ca rollover start ┌──────────────┐ ca rollover finish ┌──────────────────┐
//   │ the CA │ ────────────────▶ │ CA + next CA │ ─────────────────▶ │ next CA is the CA│
//   └────────┘                   └──────────────┘  (every agent      │ + previous CA    │
//                                                   trusts the next) └──────────────────┘
//
// start makes the next CA (ca-next.pem, ca-next.key). Every heartbeat reply
// carries the CA certificates agents are to trust (AgentTrustBundle); the
// agent keeps them as its ca.pem and its next heartbeats say which it
// trusts. After finish that is the new CA alone, so agents stop trusting the
// old one (whose key may be why the CA was rolled over). finish, once every enrolled agent trusts
// the next CA: the old CA's certificate is kept as ca-previous.pem (its key is gone), the next CA
// becomes ca.pem and ca.key, the store is bound to it, and the server's
// certificate is issued again by it. Agents' certificates from either CA
// are taken until they are renewed or end; new ones come from the new CA.
//
// Functions throw tributary::Error: kAlreadyExists (a rollover is under
// way), kNotFound (none is), kConflict (the store belongs to neither CA),
// kIo. finish can be run again after a crash and completes what is left.
// Not for two operators at once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "enrol/agent_registry.h"
#include "enrol/server_identity.h"
#include "tributary/common/pki.h"

namespace tributary::server {

class ServerStore;

struct CaState {
  pki::CertificateInfo current;
  std::optional<pki::CertificateInfo> next;      // during a rollover
  std::optional<pki::CertificateInfo> previous;  // after one
};
CaState ReadCaState(const ServerPaths& paths);

// What agents are to trust the server by: the CA, and during a rollover the
// next CA (PEM, one after another).
std::string AgentTrustBundle(const ServerPaths& paths);

// What the server takes agents' certificates from: every CA certificate in
// DIR not yet ended (the CA, the next, the previous).
std::string ClientCaBundle(const ServerPaths& paths);

// The enrolled (unrevoked) agents whose last heartbeat did not say they
// trust the CA `sha256`.
std::vector<AgentStatus> AgentsNotTrusting(const std::vector<AgentStatus>& agents,
                                           const std::string& sha256);

// Makes the next CA. Returns its certificate's facts.
pki::CertificateInfo StartCaRollover(const ServerPaths& paths);

// Makes the next CA the CA, as the header says; `store` is bound to it
// (audited). The caller checks the agents first (AgentsNotTrusting).
// Returns the new CA's facts.
pki::CertificateInfo FinishCaRollover(const ServerPaths& paths, ServerStore& store);

}  // namespace tributary::server
