#include "fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <list>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tributary/common/unique_fd.h"

namespace tributary::testing {
namespace {

// Closes with a reset, as a cut cable or a killed peer looks to the other end.
void Abort(UniqueFd& fd) {
  if (fd.get() < 0) return;
  linger l{1, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  fd.Reset();
}

bool WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

struct Connection {
  UniqueFd client;
  UniqueFd upstream;
  FaultPlan plan;
  bool faulty = false;
  bool stalled = false;
  std::uint64_t request_bytes = 0;
  std::uint64_t response_bytes = 0;
};

}  // namespace

class FaultProxy::Impl {
 public:
  Impl(std::string host, std::uint16_t upstream_port)
      : host_(std::move(host)), upstream_port_(upstream_port) {
    listener_ = UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (listener_.get() < 0 ||
        ::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_.get(), 64) != 0) {
      throw std::runtime_error("fault proxy: cannot listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    wake_ = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    thread_ = std::thread([this] { Loop(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    Wake();
    thread_.join();
  }

  std::uint16_t port() const { return port_; }

  void SetPlan(const FaultPlan& plan) {
    std::lock_guard lock(mutex_);
    plan_ = plan;
    plan_left_ = plan.connections;
  }

  void Reset() {
    std::unique_lock lock(mutex_);
    plan_left_ = 0;
    std::uint64_t wanted = ++reset_requested_;
    lock.unlock();
    Wake();
    lock.lock();
    reset_done_cv_.wait(lock, [&] { return reset_done_ >= wanted || stopping_; });
  }

  int accepted() const {
    std::lock_guard lock(mutex_);
    return accepted_;
  }
  int faulted() const {
    std::lock_guard lock(mutex_);
    return faulted_;
  }
  bool WaitForStall(std::chrono::seconds timeout) {
    std::unique_lock lock(mutex_);
    return stalled_cv_.wait_for(lock, timeout, [&] { return stalled_ > 0; });
  }

 private:
  void Wake() {
    std::uint64_t one = 1;
    ssize_t ignored = ::write(wake_.get(), &one, sizeof one);
    (void)ignored;
  }

  void Accept() {
    UniqueFd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (client.get() < 0) return;
    UniqueFd upstream(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(upstream_port_);
    ::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr);
    if (::connect(upstream.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      Abort(client);  // the upstream is down: the client sees a refused-like reset
      std::lock_guard lock(mutex_);
      ++accepted_;
      return;
    }
    int one = 1;
    ::setsockopt(client.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(upstream.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Connection c;
    c.client = std::move(client);
    c.upstream = std::move(upstream);
    {
      std::lock_guard lock(mutex_);
      ++accepted_;
      if (plan_left_ > 0) {
        --plan_left_;
        ++faulted_;
        c.plan = plan_;
        c.faulty = true;
      }
    }
    connections_.push_back(std::move(c));
  }

  // Moves one chunk from `from` to `to`; false when the connection is over.
  bool Forward(Connection& c, bool request) {
    int from = request ? c.client.get() : c.upstream.get();
    int to = request ? c.upstream.get() : c.client.get();
    char buffer[16384];
    ssize_t n = ::recv(from, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) return true;
    if (n <= 0) return false;
    std::size_t size = static_cast<std::size_t>(n);
    if (!c.faulty) return WriteAll(to, buffer, size);
    if (c.plan.delay_per_chunk.count() > 0) std::this_thread::sleep_for(c.plan.delay_per_chunk);
    std::uint64_t& sent = request ? c.request_bytes : c.response_bytes;
    const auto& cut = request ? c.plan.cut_request_after_bytes : c.plan.cut_response_after_bytes;
    const auto& stall =
        request ? std::optional<std::uint64_t>() : c.plan.stall_response_after_bytes;
    std::optional<std::uint64_t> limit = cut ? cut : stall;
    if (!request && c.plan.stall_response_after_request_bytes &&
        c.request_bytes > *c.plan.stall_response_after_request_bytes) {
      limit = sent;  // hold this answer and everything after it
    }
    if (limit && sent + size >= *limit) {
      std::size_t allowed = static_cast<std::size_t>(*limit - std::min(sent, *limit));
      if (allowed > 0 && !WriteAll(to, buffer, allowed)) return false;
      sent += allowed;
      if (cut && limit == cut) return false;
      c.stalled = true;  // keep both sockets open, forward nothing more
      {
        std::lock_guard lock(mutex_);
        ++stalled_;
      }
      stalled_cv_.notify_all();
      return true;
    }
    sent += size;
    return WriteAll(to, buffer, size);
  }

  void Loop() {
    while (true) {
      std::vector<pollfd> fds;
      fds.push_back({wake_.get(), POLLIN, 0});
      fds.push_back({listener_.get(), POLLIN, 0});
      std::vector<Connection*> owners;
      for (Connection& c : connections_) {
        if (c.stalled) continue;
        fds.push_back({c.client.get(), POLLIN, 0});
        fds.push_back({c.upstream.get(), POLLIN, 0});
        owners.push_back(&c);
      }
      int rc = ::poll(fds.data(), fds.size(), -1);
      if (rc < 0 && errno != EINTR) return;
      if (fds[0].revents) {
        std::uint64_t value;
        ssize_t ignored = ::read(wake_.get(), &value, sizeof value);
        (void)ignored;
        std::unique_lock lock(mutex_);
        if (stopping_) {
          connections_.clear();
          reset_done_cv_.notify_all();
          return;
        }
        if (reset_done_ < reset_requested_) {
          lock.unlock();
          for (Connection& c : connections_) {
            Abort(c.client);
            Abort(c.upstream);
          }
          connections_.clear();
          lock.lock();
          reset_done_ = reset_requested_;
          reset_done_cv_.notify_all();
          continue;
        }
      }
      if (fds[1].revents & POLLIN) Accept();
      std::vector<Connection*> finished;
      for (std::size_t i = 0; i < owners.size(); ++i) {
        Connection* c = owners[i];
        for (int side = 0; side < 2; ++side) {
          const pollfd& p = fds[2 + 2 * i + static_cast<std::size_t>(side)];
          if (p.revents == 0 || c->stalled) continue;
          if (!Forward(*c, side == 0)) {
            finished.push_back(c);
            break;
          }
        }
      }
      for (Connection* c : finished) {
        Abort(c->client);
        Abort(c->upstream);
        connections_.remove_if([c](const Connection& x) { return &x == c; });
      }
    }
  }

  std::string host_;
  std::uint16_t upstream_port_;
  std::uint16_t port_ = 0;
  UniqueFd listener_;
  UniqueFd wake_;
  std::list<Connection> connections_;  // only the proxy thread touches these

  mutable std::mutex mutex_;
  std::condition_variable reset_done_cv_;
  FaultPlan plan_;
  int plan_left_ = 0;
  int accepted_ = 0;
  int faulted_ = 0;
  int stalled_ = 0;  // connections holding back a response
  std::condition_variable stalled_cv_;
  bool stopping_ = false;
  std::uint64_t reset_requested_ = 0;
  std::uint64_t reset_done_ = 0;
  std::thread thread_;
};

FaultProxy::FaultProxy(std::string upstream_host, std::uint16_t upstream_port)
    : impl_(std::make_unique<Impl>(std::move(upstream_host), upstream_port)) {}
FaultProxy::~FaultProxy() = default;
std::uint16_t FaultProxy::port() const { return impl_->port(); }
void FaultProxy::SetPlan(const FaultPlan& plan) { impl_->SetPlan(plan); }
void FaultProxy::Reset() { impl_->Reset(); }
int FaultProxy::connections_accepted() const { return impl_->accepted(); }
int FaultProxy::connections_faulted() const { return impl_->faulted(); }

bool FaultProxy::WaitForStall(std::chrono::seconds timeout) { return impl_->WaitForStall(timeout); }

}  // namespace tributary::testing
