// The fictional ICS of examples/ics-sample in a server store, loaded through
// the real import and ingest code: what the tests of rollups and published
// months compute over.
#pragma once

#include <filesystem>

#include "store/server_store.h"

namespace tributary::server {

// examples/ics-sample in the source tree.
std::filesystem::path SampleIcs();

// Imports the sample's orgs.csv, enrols one agent per practice (agent
// "agent-CODE", certificate "serial-CODE") and pushes every sample file of
// every practice through ingest, one batch per file.
void LoadSample(ServerStore& store, FakeClock& clock);

// Moves some returns along so coverage has something to count: every second
// practice submits August, every fourth has it approved, one is queried, and
// one practice submits only two of its three returns.
void ProgressReturns(ServerStore& store);

}  // namespace tributary::server
