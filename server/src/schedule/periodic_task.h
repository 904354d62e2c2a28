// Runs one piece of background work on its own thread every `every`, until
// destroyed: `serve` publishes cross-practice findings
// (validation/findings_publisher.h) and refreshes the reporting tables
// (reporting/reporting_refresher.h) this way. A run that throws is logged
// as NAME_failed and the next run tries again; destruction waits for a run
// in progress to end.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tributary::server {

class PeriodicTask {
 public:
  PeriodicTask(std::string name, std::chrono::seconds every, std::function<void()> run);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void Loop();

  std::string name_;
  std::chrono::seconds every_;
  std::function<void()> run_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace tributary::server
