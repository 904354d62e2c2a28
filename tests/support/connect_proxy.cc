#include "connect_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <list>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "tributary/common/unique_fd.h"

namespace tributary::testing {
namespace {

bool WriteAll(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

UniqueFd ConnectLoopback(std::uint16_t port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (fd.get() < 0 || ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return UniqueFd();
  }
  return fd;
}

}  // namespace

class ConnectProxy::Impl {
 public:
  Impl() {
    listener_ = UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (listener_.get() < 0 ||
        ::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_.get(), 64) != 0) {
      throw std::runtime_error("connect proxy: cannot listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    // Never read: once written it stays readable and wakes every poll.
    stop_ = UniqueFd(::eventfd(0, EFD_CLOEXEC));
    acceptor_ = std::thread([this] { Accept(); });
  }

  ~Impl() {
    std::uint64_t one = 1;
    if (::write(stop_.get(), &one, sizeof one) < 0) std::terminate();  // cannot stop the threads
    acceptor_.join();
    for (std::thread& t : tunnels_threads_) t.join();
  }

  std::uint16_t port() const { return port_; }

  std::vector<std::string> tunnels() const {
    std::lock_guard lock(mutex_);
    return tunnels_;
  }

 private:
  // Waits for `fd` (or the stop signal); false when stopping.
  bool WaitReadable(int fd) const {
    pollfd fds[2] = {{fd, POLLIN, 0}, {stop_.get(), POLLIN, 0}};
    while (::poll(fds, 2, -1) < 0) {
      if (errno != EINTR) return false;
    }
    return (fds[1].revents & POLLIN) == 0;
  }

  void Accept() {
    while (WaitReadable(listener_.get())) {
      int fd = ::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      std::lock_guard lock(mutex_);
      tunnels_threads_.emplace_back([this, client = UniqueFd(fd)]() mutable { Serve(client); });
    }
  }

  // Reads "CONNECT 127.0.0.1:PORT HTTP/1.1 ... \r\n\r\n", opens the tunnel,
  // then copies bytes both ways until either side closes.
  void Serve(UniqueFd& client) {
    std::string head;
    char buffer[16384];
    while (head.find("\r\n\r\n") == std::string::npos) {
      if (head.size() > 8192 || !WaitReadable(client.get())) return;
      ssize_t n = ::recv(client.get(), buffer, sizeof buffer, 0);
      if (n <= 0) return;
      head.append(buffer, static_cast<std::size_t>(n));
    }
    const std::string prefix = "CONNECT 127.0.0.1:";
    if (head.rfind(prefix, 0) != 0) {
      WriteAll(client.get(), "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    std::string target = head.substr(8, head.find(' ', 8) - 8);
    int port = 0;
    try {
      port = std::stoi(target.substr(prefix.size() - 8));
    } catch (const std::exception&) {
      port = 0;
    }
    UniqueFd upstream;
    if (port > 0 && port < 65536) upstream = ConnectLoopback(static_cast<std::uint16_t>(port));
    if (upstream.get() < 0) {
      WriteAll(client.get(), "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    {
      std::lock_guard lock(mutex_);
      tunnels_.push_back(target);
    }
    if (!WriteAll(client.get(), "HTTP/1.1 200 Connection established\r\n\r\n")) return;
    // Anything the client sent after the head belongs to the tunnel.
    std::string early = head.substr(head.find("\r\n\r\n") + 4);
    if (!early.empty() && !WriteAll(upstream.get(), early)) return;
    pollfd fds[3] = {
        {client.get(), POLLIN, 0}, {upstream.get(), POLLIN, 0}, {stop_.get(), POLLIN, 0}};
    for (;;) {
      if (::poll(fds, 3, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[2].revents != 0) return;
      for (int i = 0; i < 2; ++i) {
        if (fds[i].revents == 0) continue;
        ssize_t n = ::recv(fds[i].fd, buffer, sizeof buffer, 0);
        if (n <= 0) return;
        if (!WriteAll(fds[1 - i].fd, std::string(buffer, static_cast<std::size_t>(n)))) return;
      }
    }
  }

  UniqueFd listener_;
  UniqueFd stop_;
  std::uint16_t port_ = 0;
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::list<std::thread> tunnels_threads_;
  std::vector<std::string> tunnels_;
};

ConnectProxy::ConnectProxy() : impl_(std::make_unique<Impl>()) {}
ConnectProxy::~ConnectProxy() = default;
std::uint16_t ConnectProxy::port() const { return impl_->port(); }
std::vector<std::string> ConnectProxy::tunnels() const { return impl_->tunnels(); }

}  // namespace tributary::testing
