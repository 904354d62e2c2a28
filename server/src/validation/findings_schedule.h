// Runs FindingsPublisher::Publish() on its own thread every `every`, until
// destroyed. A run with nothing stale costs one small query.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "validation/findings_publisher.h"

namespace tributary::server {

class FindingsSchedule {
 public:
  FindingsSchedule(FindingsPublisher& publisher, std::chrono::seconds every);
  ~FindingsSchedule();
  FindingsSchedule(const FindingsSchedule&) = delete;
  FindingsSchedule& operator=(const FindingsSchedule&) = delete;

 private:
  void Loop();

  FindingsPublisher& publisher_;
  std::chrono::seconds every_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace tributary::server
