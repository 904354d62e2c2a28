// Renews the agent's certificate before it expires (POST /v1/renew), with a
// new key each time. The pair is replaced as tributary/common/key_pair_files.h says;
// FinishRenewal completes a renewal a crash interrupted, so the pair on disk
// always belongs together.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "config/agent_config.h"
#include "store/local_store.h"
#include "sync/transport.h"
#include "tributary/common/hlc.h"

namespace tributary::agent {

// When the current certificate expires (ms since the epoch).
std::int64_t CertificateNotAfterMs(const AgentPaths& paths);

// Completes an interrupted renewal, if any. Call before reading the pair.
void FinishRenewal(const AgentPaths& paths);

// Renews when fewer than `renew_before` remain. Returns true if it renewed;
// false if not due, or the server said it renewed this agent too recently
// (429 renewal_too_soon: asked again after its Retry-After, at least a
// minute, while the current certificate goes on working). Throws Error (see
// sync/server_refusal.h) if the server refuses otherwise.
bool RenewIfDue(Transport& client, const std::string& server_url, const AgentPaths& paths,
                LocalStore& store, const Clock& clock, std::chrono::seconds renew_before);

}  // namespace tributary::agent
