#include "trial_plan.h"

namespace tributary::testing {
namespace {

int Uniform(std::mt19937_64& rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

std::uint64_t Uniform64(std::mt19937_64& rng, std::uint64_t low, std::uint64_t high) {
  return std::uniform_int_distribution<std::uint64_t>(low, high)(rng);
}

bool Chance(std::mt19937_64& rng, int percent) { return Uniform(rng, 0, 99) < percent; }

}  // namespace

TrialPlan DrawTrial(std::mt19937_64& rng, int agents, const FaultCapabilities& can) {
  TrialPlan plan;
  // Every trial changes something, so there is always something to lose.
  plan.importing_agents = static_cast<std::uint32_t>(Uniform(rng, 1, (1 << agents) - 1));

  int network = Uniform(rng, 0, 9);
  plan.proxy.connections = Uniform(rng, 1, 3);
  if (network < 2) {
    plan.network = NetworkFault::kCutRequest;
    plan.proxy.cut_request_after_bytes = Uniform64(rng, 0, 12000);
  } else if (network < 4) {
    plan.network = NetworkFault::kCutResponse;
    plan.proxy.cut_response_after_bytes = Uniform64(rng, 0, 3000);
  } else if (network < 5) {
    plan.network = NetworkFault::kStall;
    plan.proxy.stall_response_after_bytes = Uniform64(rng, 0, 3000);
    plan.proxy.connections = 1;
  } else if (network < 6) {
    plan.network = NetworkFault::kDelay;
    plan.proxy.delay_per_chunk = std::chrono::milliseconds(Uniform(rng, 1, 5));
  } else if (network < 8 && can.packet_loss) {
    plan.network = NetworkFault::kPacketLoss;
    plan.loss_per_mille = Uniform(rng, 10, 150);  // 1% to 15% of packets
  }

  int kill = Uniform(rng, 0, 9);
  plan.kill = kill < 3                          ? KillFault::kAgent
              : kill < 5                        ? KillFault::kServer
              : (kill < 7 && can.kill_database) ? KillFault::kDatabase
                                                : KillFault::kNone;
  plan.kill_after_ms = Uniform(rng, 0, 300);
  // Drawn only with several instances, so a seed of the one-instance mode
  // draws the same trials as before.
  if (can.instances > 1) plan.killed_instance = Uniform(rng, 0, can.instances - 1);

  if (can.disk_full && Chance(rng, 20)) {
    plan.disk_full_agent = 0;  // the agent on the small disk
    plan.disk_free_bytes = Uniform64(rng, 0, 256 * 1024);
  }
  if (Chance(rng, 20)) {
    plan.skewed_agent = Uniform(rng, 0, agents - 1);
    plan.skew_days = Chance(rng, 50) ? 1 : -1;
  }
  return plan;
}

const char* Name(NetworkFault fault) {
  switch (fault) {
    case NetworkFault::kNone:
      return "clean network";
    case NetworkFault::kCutRequest:
      return "cut request";
    case NetworkFault::kCutResponse:
      return "cut response";
    case NetworkFault::kStall:
      return "stall";
    case NetworkFault::kDelay:
      return "delay";
    case NetworkFault::kPacketLoss:
      return "packet loss";
  }
  return "?";
}

const char* Name(KillFault fault) {
  switch (fault) {
    case KillFault::kNone:
      return "no kill";
    case KillFault::kAgent:
      return "kill agent";
    case KillFault::kServer:
      return "kill server";
    case KillFault::kDatabase:
      return "kill database";
  }
  return "?";
}

std::string Describe(const TrialPlan& plan) {
  std::string text = Name(plan.network);
  if (plan.proxy.cut_request_after_bytes) {
    text += " at " + std::to_string(*plan.proxy.cut_request_after_bytes) + " B";
  }
  if (plan.proxy.cut_response_after_bytes) {
    text += " at " + std::to_string(*plan.proxy.cut_response_after_bytes) + " B";
  }
  if (plan.proxy.stall_response_after_bytes) {
    text += " at " + std::to_string(*plan.proxy.stall_response_after_bytes) + " B";
  }
  if (plan.network == NetworkFault::kDelay) {
    text += " " + std::to_string(plan.proxy.delay_per_chunk.count()) + " ms per chunk";
  }
  if (plan.network == NetworkFault::kPacketLoss) {
    text += " " + std::to_string(plan.loss_per_mille / 10.0).substr(0, 4) + "%";
  }
  if (plan.kill != KillFault::kNone) {
    text += ", " + std::string(Name(plan.kill));
    if (plan.kill == KillFault::kServer && plan.killed_instance > 0) {
      text += " " + std::to_string(plan.killed_instance + 1);
    }
    text += " at " + std::to_string(plan.kill_after_ms) + " ms";
  }
  if (plan.disk_full_agent >= 0) {
    text += ", agent " + std::to_string(plan.disk_full_agent) + " disk full (" +
            std::to_string(plan.disk_free_bytes) + " B free)";
  }
  if (plan.skewed_agent >= 0) {
    text += ", agent " + std::to_string(plan.skewed_agent) + " clock " +
            (plan.skew_days > 0 ? "+1" : "-1") + " day";
  }
  return text;
}

}  // namespace tributary::testing
