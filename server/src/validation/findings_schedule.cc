#include "validation/findings_schedule.h"

#include <exception>
#include <string>

#include "tributary/common/log.h"

namespace tributary::server {

FindingsSchedule::FindingsSchedule(FindingsPublisher& publisher, std::chrono::seconds every)
    : publisher_(publisher), every_(every), thread_([this] { Loop(); }) {}

FindingsSchedule::~FindingsSchedule() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void FindingsSchedule::Loop() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, every_, [this] { return stopping_; })) {
    lock.unlock();
    try {
      publisher_.Publish();
    } catch (const std::exception& e) {
      // The next run retries; the stale marks are still there.
      log::Error("findings_publish_failed", e.what());
    }
    lock.lock();
  }
}

}  // namespace tributary::server
