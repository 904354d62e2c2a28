// A TCP proxy on 127.0.0.1 that injects network faults between a client and
// an upstream server: connections cut at a chosen byte, stalled, or delayed.
// The kernel here has no netem, so tests put this proxy in the path instead.
//
// Thread-safe: the proxy runs its own thread; SetPlan/Reset may be called from
// any thread while it runs.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace tributary::testing {

// What happens to connections accepted after the plan is set.
struct FaultPlan {
  // Close both sides once this many bytes have gone client -> upstream
  // (request direction) or upstream -> client (response direction).
  std::optional<std::uint64_t> cut_request_after_bytes;
  std::optional<std::uint64_t> cut_response_after_bytes;
  // Stop forwarding (without closing) once this many response bytes have gone.
  std::optional<std::uint64_t> stall_response_after_bytes;
  // Stop forwarding responses (without closing) once more than this many
  // request bytes have gone: set above the TLS handshake's size, a request
  // reaches the upstream whole and its answer is held.
  std::optional<std::uint64_t> stall_response_after_request_bytes;
  // Delay applied before forwarding each chunk, in either direction.
  std::chrono::milliseconds delay_per_chunk{0};
  // The plan applies to this many connections, then the proxy forwards cleanly.
  int connections = 1;
};

class FaultProxy {
 public:
  // Listens on 127.0.0.1, port chosen by the kernel, forwarding to upstream.
  FaultProxy(std::string upstream_host, std::uint16_t upstream_port);
  ~FaultProxy();  // closes every connection and joins the thread
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  std::uint16_t port() const;

  void SetPlan(const FaultPlan& plan);
  // Back to clean forwarding, and closes every open connection.
  void Reset();

  // Connections accepted so far, and how many a plan has faulted.
  int connections_accepted() const;
  int connections_faulted() const;
  // Waits until a connection has stalled under stall_response_after_bytes:
  // the upstream has answered and the answer is held. False after `timeout`.
  bool WaitForStall(std::chrono::seconds timeout);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tributary::testing
