// An HTTP CONNECT proxy on 127.0.0.1, as a practice network's web proxy is
// to the agent: tests point the agent's `proxy` setting at it and see that
// the sync went through it. It tunnels only to 127.0.0.1 and counts tunnels.
//
// Thread-safe: it runs its own threads and stops them in its destructor.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tributary::testing {

class ConnectProxy {
 public:
  ConnectProxy();   // listens on 127.0.0.1, port chosen by the kernel
  ~ConnectProxy();  // closes every tunnel and joins every thread
  ConnectProxy(const ConnectProxy&) = delete;
  ConnectProxy& operator=(const ConnectProxy&) = delete;

  std::uint16_t port() const;
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port()); }

  // The host:port of every CONNECT request accepted so far.
  std::vector<std::string> tunnels() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tributary::testing
