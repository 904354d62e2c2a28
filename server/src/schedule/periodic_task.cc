#include "schedule/periodic_task.h"

#include <exception>

#include "tributary/common/log.h"

namespace tributary::server {

PeriodicTask::PeriodicTask(std::string name, std::chrono::seconds every, std::function<void()> run)
    : name_(std::move(name)), every_(every), run_(std::move(run)), thread_([this] { Loop(); }) {}

PeriodicTask::~PeriodicTask() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void PeriodicTask::Loop() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, every_, [this] { return stopping_; })) {
    lock.unlock();
    try {
      run_();
    } catch (const std::exception& e) {
      // The work keeps its own marks of what is left: the next run retries.
      log::Error(name_ + "_failed", e.what());
    }
    lock.lock();
  }
}

}  // namespace tributary::server
