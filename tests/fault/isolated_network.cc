#include "isolated_network.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "child_process.h"

namespace tributary::testing {
namespace {

constexpr const char* kTable = "tributary_fault";

void MustRun(const std::vector<std::string>& argv) {
  RunResult r = Run(argv, std::chrono::seconds(30));
  if (r.exit_code != 0) {
    std::string command;
    for (const auto& a : argv) command += a + " ";
    throw std::runtime_error(command + "failed (" + std::to_string(r.exit_code) + "): " + r.err);
  }
}

std::string Nft() {
  for (const char* path : {"/usr/sbin/nft", "/sbin/nft"}) {
    if (std::filesystem::exists(path)) return path;
  }
  return "";
}

}  // namespace

std::string IsolatedNetwork::Unavailable() {
  if (geteuid() != 0) return "packet loss needs root (a network namespace and nftables)";
  if (Nft().empty()) return "packet loss needs nft(8) (Debian package nftables)";
  return "";
}

IsolatedNetwork::IsolatedNetwork() {
  original_ = UniqueFd(open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!original_.valid())
    throw std::runtime_error(std::string("open /proc/self/ns/net: ") + std::strerror(errno));
  if (unshare(CLONE_NEWNET) != 0) {
    throw std::runtime_error(std::string("unshare(CLONE_NEWNET): ") + std::strerror(errno));
  }
  MustRun({"/usr/sbin/ip", "link", "set", "lo", "up"});
  MustRun({Nft(), "add", "table", "inet", kTable});
  MustRun({Nft(), "add", "chain", "inet", kTable, "output",
           "{ type filter hook output priority 0 ; policy accept ; }"});
}

IsolatedNetwork::~IsolatedNetwork() {
  // The thread returns to where it came from; the namespace, its rules and
  // its loopback vanish once the processes started inside it have exited.
  setns(original_.get(), CLONE_NEWNET);
}

void IsolatedNetwork::SetPacketLoss(int per_mille) {
  if (per_mille == loss_per_mille_) return;
  MustRun({Nft(), "flush", "chain", "inet", kTable, "output"});
  if (per_mille > 0) {
    MustRun({Nft(), "add", "rule", "inet", kTable, "output", "numgen", "random", "mod", "1000", "<",
             std::to_string(per_mille), "drop"});
  }
  loss_per_mille_ = per_mille;
}

}  // namespace tributary::testing
