// One randomized trial of the fault harness: which faults are combined, where
// they strike, and how hard. Drawn from a seeded generator, so a seed and a
// trial number reproduce a trial exactly.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "fault_proxy.h"

namespace tributary::testing {

// Which kinds of fault this machine can inject (packet loss and a full disk
// need root; see isolated_network.h and small_disk.h).
// The two-instance mode adds the killing of PostgreSQL itself, and which
// instance a killed server is.
struct FaultCapabilities {
  bool packet_loss = false;
  bool disk_full = false;
  bool kill_database = false;
  int instances = 1;
};

enum class NetworkFault { kNone, kCutRequest, kCutResponse, kStall, kDelay, kPacketLoss };
enum class KillFault { kNone, kAgent, kServer, kDatabase };

struct TrialPlan {
  NetworkFault network = NetworkFault::kNone;
  FaultPlan proxy;         // for the cut, stall and delay faults
  int loss_per_mille = 0;  // for kPacketLoss
  KillFault kill = KillFault::kNone;
  int kill_after_ms = 0;     // after the syncs start
  int killed_instance = 0;   // for kServer: which `serve` instance
  int disk_full_agent = -1;  // index of the agent whose disk fills, or -1
  std::uint64_t disk_free_bytes = 0;
  int skewed_agent = -1;               // index of the agent whose clock is wrong, or -1
  int skew_days = 0;                   // +1 or -1
  std::uint32_t importing_agents = 0;  // bit i: agent i imports new figures first
};

TrialPlan DrawTrial(std::mt19937_64& rng, int agents, const FaultCapabilities& can);

// e.g. "cut response at 812 B, kill server at 140 ms, agent 2 clock -1 day".
std::string Describe(const TrialPlan& plan);

// Stable names for the summary's fault counts.
const char* Name(NetworkFault fault);
const char* Name(KillFault fault);

}  // namespace tributary::testing
