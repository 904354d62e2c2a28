// The fault harness's invariant checker (docs/design.md invariant 1 and invariant 2), read straight
// from the agent's and the server's SQLite files. Each check returns every violation it finds, as a
// sentence, so a failed trial says all that is wrong.
#pragma once

#include <string>
#include <vector>

#include "cluster.h"

namespace tributary::testing {

// At any point once the processes have stopped, whatever the faults:
// - the server's change log holds seqs 1..high-water mark, each exactly once;
// - every change the agent counts as acknowledged is among them;
// - the agent's outbox waits to send exactly the changes after its
//   acknowledged seq, so every change the server may not have is still
//   queued to send; those it keeps once acknowledged (outbox.h) are none
//   after that seq.
std::vector<std::string> CheckNothingLost(const ServerUnderTest& server,
                                          const AgentUnderTest& agent);

// After a clean sync: all the above, and the agent and the server agree on
// everything — the same records, nothing waiting to send, acknowledged seq = the
// server's high-water mark = the agent's last seq.
std::vector<std::string> CheckConverged(const ServerUnderTest& server, const AgentUnderTest& agent);

// `tributary-server rollups verify`: every rollup recomputed from the records agrees.
std::vector<std::string> CheckRollups(ServerUnderTest& server);

}  // namespace tributary::testing
