// A PostgreSQL cluster of the fault harness's own (tests/support/
// test_postgres.sh), for its two-instance mode: the servers' store is a
// schema in it, and a trial may SIGKILL it and start it again. Its own, not
// the suites' shared one, so killing it fails no other test. Stopped and
// removed when destroyed, pass or fail.
#pragma once

#include <filesystem>

namespace tributary::testing {

class OwnPostgres {
 public:
  // Starts the cluster, its files under `dir`, and points the test stores
  // (test_postgres.h) at it for the rest of the process.
  explicit OwnPostgres(std::filesystem::path dir);
  ~OwnPostgres();
  OwnPostgres(const OwnPostgres&) = delete;
  OwnPostgres& operator=(const OwnPostgres&) = delete;

  // SIGKILL of the server and every backend; returns once all are gone.
  void Crash();
  // Starts it again after a crash: it recovers from its write-ahead log.
  void Restart();
  bool running() const { return running_; }

 private:
  void Script(const char* action) const;

  std::filesystem::path dir_;
  bool running_ = false;
};

}  // namespace tributary::testing
