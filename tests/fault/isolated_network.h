// A network namespace of the harness's own, with packet loss on demand.
//
// The kernel here has no netem, so loss is an nftables rule (numgen random ...
// drop) on the namespace's loopback. The harness moves its own thread into a
// fresh namespace before it starts anything; the server, the agents and the
// fault proxy it starts afterwards inherit it, so every byte between them
// crosses the rule. The destructor moves the thread back and the namespace
// goes when its last process exits: nothing is left on the machine.
//
// Needs root (CAP_NET_ADMIN) and nft(8); Available() says whether both are here.
#pragma once

#include <string>

#include "tributary/common/unique_fd.h"

namespace tributary::testing {

class IsolatedNetwork {
 public:
  // Why packet loss cannot be injected here, or "" when it can.
  static std::string Unavailable();

  IsolatedNetwork();   // throws std::runtime_error
  ~IsolatedNetwork();  // back to the original namespace
  IsolatedNetwork(const IsolatedNetwork&) = delete;
  IsolatedNetwork& operator=(const IsolatedNetwork&) = delete;

  // Drops each packet with probability per_mille / 1000 (0: no loss).
  void SetPacketLoss(int per_mille);

 private:
  UniqueFd original_;
  int loss_per_mille_ = 0;
};

}  // namespace tributary::testing
