#include "fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "tributary/common/unique_fd.h"

using namespace tributary::testing;

namespace {

// An echo server on 127.0.0.1 that answers every byte it gets, until closed.
class EchoServer {
 public:
  EchoServer() {
    listener_ = tributary::UniqueFd(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listener_.get(), 16) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~EchoServer() {
    ::shutdown(listener_.get(), SHUT_RDWR);
    thread_.join();
  }
  std::uint16_t port() const { return port_; }

 private:
  void Loop() {
    while (true) {
      int fd = ::accept(listener_.get(), nullptr, nullptr);
      if (fd < 0) return;
      std::thread([fd] {
        tributary::UniqueFd c(fd);
        char buffer[4096];
        ssize_t n;
        while ((n = ::recv(c.get(), buffer, sizeof buffer, 0)) > 0) {
          if (::send(c.get(), buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL) < 0) return;
        }
      }).detach();
    }
  }
  tributary::UniqueFd listener_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

tributary::UniqueFd Connect(std::uint16_t port) {
  tributary::UniqueFd fd(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  REQUIRE(::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

// Sends `data` and reads until `expected` bytes arrive, EOF, reset or 5 s of silence.
std::string Exchange(int fd, const std::string& data, std::size_t expected) {
  ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
  std::string got;
  char buffer[4096];
  while (got.size() < expected) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) break;
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    got.append(buffer, static_cast<std::size_t>(n));
  }
  return got;
}

}  // namespace

TEST_CASE("fault proxy: forwards cleanly with no plan") {
  EchoServer echo;
  FaultProxy proxy("127.0.0.1", echo.port());
  tributary::UniqueFd c = Connect(proxy.port());
  CHECK(Exchange(c.get(), "hello", 5) == "hello");
  CHECK(proxy.connections_accepted() == 1);
  CHECK(proxy.connections_faulted() == 0);
}

TEST_CASE("fault proxy: cuts the response after exactly N bytes") {
  EchoServer echo;
  FaultProxy proxy("127.0.0.1", echo.port());
  FaultPlan plan;
  plan.cut_response_after_bytes = 3;
  proxy.SetPlan(plan);
  tributary::UniqueFd c = Connect(proxy.port());
  CHECK(Exchange(c.get(), "hello", 5) == "hel");
  CHECK(proxy.connections_faulted() == 1);
}

TEST_CASE("fault proxy: cuts the request after exactly N bytes") {
  EchoServer echo;
  FaultProxy proxy("127.0.0.1", echo.port());
  FaultPlan plan;
  plan.cut_request_after_bytes = 2;
  proxy.SetPlan(plan);
  tributary::UniqueFd c = Connect(proxy.port());
  std::string got = Exchange(c.get(), "hello", 5);
  CHECK(got.size() <= 2);
  CHECK(std::string("he").substr(0, got.size()) == got);
}

TEST_CASE("fault proxy: a stalled connection forwards nothing more until reset") {
  EchoServer echo;
  FaultProxy proxy("127.0.0.1", echo.port());
  FaultPlan plan;
  plan.stall_response_after_bytes = 2;
  proxy.SetPlan(plan);
  tributary::UniqueFd c = Connect(proxy.port());
  std::string first = Exchange(c.get(), "abcd", 2);
  CHECK(first == "ab");
  pollfd p{c.get(), POLLIN, 0};
  CHECK(::poll(&p, 1, 300) == 0);  // nothing more arrives while stalled
  proxy.Reset();
  char byte;
  CHECK(::recv(c.get(), &byte, 1, 0) <= 0);  // reset closed it
}

TEST_CASE("fault proxy: a plan covers its number of connections, then forwarding is clean") {
  EchoServer echo;
  FaultProxy proxy("127.0.0.1", echo.port());
  FaultPlan plan;
  plan.cut_response_after_bytes = 1;
  plan.connections = 2;
  proxy.SetPlan(plan);
  for (int i = 0; i < 2; ++i) {
    tributary::UniqueFd c = Connect(proxy.port());
    CHECK(Exchange(c.get(), "xyz", 3) == "x");
  }
  tributary::UniqueFd clean = Connect(proxy.port());
  CHECK(Exchange(clean.get(), "xyz", 3) == "xyz");
  CHECK(proxy.connections_faulted() == 2);
  CHECK(proxy.connections_accepted() == 3);
}
