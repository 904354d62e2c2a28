// The daemon loop on a fake clock: a scripted wake source stands in for
// inotify and signals, a scripted sync for the network.
#include "daemon/agent_daemon.h"

#ifndef _WIN32
#include <sys/stat.h>  // mkfifo
#endif

#include <catch2/catch.hpp>
#include <deque>
#include <fstream>
#include <limits>

#include "temp_dir.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::agent;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kStart = 1'790'000'000'000;
constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// Returns scripted wakes at their times; otherwise sleeps (moves the clock)
// to the deadline. With nothing scripted and nothing due, it stops the loop.
class ScriptedWake : public WakeSource {
 public:
  explicit ScriptedWake(FakeClock& clock) : clock_(clock) {}
  // `before` runs when the wake is delivered, as what caused it (a file written).
  void At(std::int64_t at_ms, Wake wake, std::function<void()> before = {}) {
    script_.push_back({at_ms, std::move(wake), std::move(before)});
  }

  Wake WaitUntil(std::int64_t deadline_ms) override {
    deadlines.push_back(deadline_ms);
    if (!script_.empty() && script_.front().at_ms <= deadline_ms) {
      Scripted next = std::move(script_.front());
      script_.pop_front();
      clock_.Set(std::max(clock_.NowMillis(), next.at_ms));
      if (next.before) next.before();
      return next.wake;
    }
    if (deadline_ms == kNever) {
      Wake stop;
      stop.stop = true;
      return stop;
    }
    clock_.Set(std::max(clock_.NowMillis(), deadline_ms));
    return {};
  }

  std::vector<std::int64_t> deadlines;

 private:
  struct Scripted {
    std::int64_t at_ms;
    Wake wake;
    std::function<void()> before;
  };
  FakeClock& clock_;
  std::deque<Scripted> script_;
};

class RecordingNotifier : public ServiceNotifier {
 public:
  void Ready() override { events.push_back("ready"); }
  void Reloading() override { events.push_back("reloading"); }
  void Stopping() override { events.push_back("stopping"); }
  void Status(const std::string&) override {}
  void KeepAlive() override { ++keep_alives; }
  void ExtendStartup(std::chrono::seconds) override {}
  std::optional<std::chrono::milliseconds> KeepAliveEvery() const override { return every; }

  std::vector<std::string> events;
  int keep_alives = 0;
  std::optional<std::chrono::milliseconds> every;
};

Wake Files(std::vector<std::string> names) {
  Wake w;
  w.files = std::move(names);
  return w;
}

Wake Stop() {
  Wake w;
  w.stop = true;
  return w;
}

struct Fixture {
  testing::TempDir dir;
  FakeClock clock{kStart};
  LocalStore store{dir.path() / "agent.db", clock};
  DropFolder drop{dir.path() / "drop", 2s};
  ScriptedWake wake{clock};
  RecordingNotifier notifier;
  std::vector<std::int64_t> sync_times;
  // Each sync pops the next outcome; none left: success.
  std::deque<std::function<void()>> outcomes;
  std::uint64_t disk_budget = 0;
  std::uint64_t max_file_bytes = std::uint64_t{1} << 20;
  int reloads = 0;

  Fixture() { drop.CreateLayout(); }

  void Drop(const std::string& name, const std::string& text) {
    std::ofstream(drop.dir() / name, std::ios::binary) << text;
  }

  AgentDaemon Daemon() {
    DaemonServices services;
    services.sync = [this] {
      sync_times.push_back(clock.NowMillis() - kStart);
      if (!outcomes.empty()) {
        auto outcome = std::move(outcomes.front());
        outcomes.pop_front();
        outcome();
      }
      return SyncResult{};
    };
    services.reload = [this] {
      ++reloads;
      return Options();
    };
    services.import_settings = [this] {
      ImportSettings s;
      s.practice = "T01100";
      s.disk_budget_bytes = disk_budget;
      s.max_file_bytes = max_file_bytes;
      return s;
    };
    return AgentDaemon(store, drop, wake, notifier, clock, services, Options());
  }

  static DaemonOptions Options() {
    DaemonOptions o;
    o.sync.debounce = 5s;
    o.sync.max_delay = 60s;
    o.sync.interval = 900s;
    o.sync.backoff_base = 2s;
    o.sync.backoff_cap = 600s;
    o.settle = 2s;
    o.import_retry = 60s;
    o.seed = 42;
    return o;
  }
};

const char* kListSize = "EXTRACT_DATE,PRACTICE_CODE,NUMBER_OF_PATIENTS\n2026-08-01,T01100,6600\n";

}  // namespace

TEST_CASE("daemon: syncs at start, imports a dropped file once settled, syncs after the quiet") {
  Fixture f;
  f.wake.At(kStart + 10'000, Files({"list.csv"}), [&f] { f.Drop("list.csv", kListSize); });
  f.wake.At(kStart + 100'000, Stop());
  f.Daemon().Run();

  // At start; then 10 s (dropped) + 2 s (settled, imported) + 5 s (quiet).
  CHECK(f.sync_times == std::vector<std::int64_t>{0, 17'000});
  CHECK(fs::exists(f.drop.dir() / "processed" / "list.csv"));
  CHECK_FALSE(fs::exists(f.drop.dir() / "list.csv"));
  CHECK(f.store.PendingCount() == 1);
  CHECK(f.notifier.events == std::vector<std::string>{"ready", "stopping"});
}

TEST_CASE("daemon: files already in the folder at start are imported once settled") {
  Fixture f;
  f.Drop("list.csv", kListSize);
  f.wake.At(kStart + 100'000, Stop());
  f.Daemon().Run();
  CHECK(f.sync_times == std::vector<std::int64_t>{0, 7'000});  // settled at 2 s, quiet at 7 s
  CHECK(fs::exists(f.drop.dir() / "processed" / "list.csv"));
}

TEST_CASE("daemon: idle means asleep until the next scheduled sync") {
  Fixture f;
  f.wake.At(kStart + 2'000'000, Stop());
  f.Daemon().Run();
  // Woken only by the schedule: start, then every 900 s.
  CHECK(f.sync_times == std::vector<std::int64_t>{0, 900'000, 1'800'000});
  for (std::int64_t deadline : f.wake.deadlines) CHECK((deadline - kStart) % 900'000 == 0);
}

TEST_CASE("daemon: a bad file lands in rejected/ with its errors, and nothing is stored") {
  Fixture f;
  f.wake.At(kStart + 1'000, Files({"list.csv"}), [&f] {
    f.Drop("list.csv", "EXTRACT_DATE,PRACTICE_CODE,NUMBER_OF_PATIENTS\n2026-08-01,T01100,lots\n");
  });
  f.wake.At(kStart + 60'000, Stop());
  f.Daemon().Run();
  CHECK(fs::exists(f.drop.dir() / "rejected" / "list.csv"));
  std::string errors = files::Read(f.drop.dir() / "rejected" / "list.csv.errors.txt");
  CHECK(errors.rfind("list.csv:2: NUMBER_OF_PATIENTS: ", 0) == 0);
  CHECK(f.store.PendingCount() == 0);
  CHECK(f.sync_times == std::vector<std::int64_t>{0});  // nothing new to send
}

#ifndef _WIN32  // symbolic links and pipes as POSIX makes them (not under wine)
TEST_CASE("daemon: a symbolic link in the drop folder is rejected, never followed") {
  Fixture f;
  // A link to a file of the agent's own that an import would take.
  std::ofstream(f.dir.path() / "secret.csv", std::ios::binary) << kListSize;
  f.wake.At(kStart + 1'000, Files({"list.csv"}),
            [&f] { fs::create_symlink(f.dir.path() / "secret.csv", f.drop.dir() / "list.csv"); });
  f.wake.At(kStart + 60'000, Stop());
  f.Daemon().Run();
  CHECK(fs::is_symlink(f.drop.dir() / "rejected" / "list.csv"));
  std::string errors = files::Read(f.drop.dir() / "rejected" / "list.csv.errors.txt");
  CHECK(errors == "list.csv: is a symbolic link; only the file itself is taken\n");
  CHECK(files::Read(f.dir.path() / "secret.csv") == kListSize);  // the target untouched
  CHECK(f.store.PendingCount() == 0);
}

TEST_CASE("daemon: a pipe in the drop folder is rejected without waiting for a writer") {
  Fixture f;
  f.wake.At(kStart + 1'000, Files({"list.csv"}),
            [&f] { REQUIRE(::mkfifo((f.drop.dir() / "list.csv").c_str(), 0600) == 0); });
  f.wake.At(kStart + 60'000, Stop());
  f.Daemon().Run();
  CHECK(fs::is_fifo(f.drop.dir() / "rejected" / "list.csv"));
  std::string errors = files::Read(f.drop.dir() / "rejected" / "list.csv.errors.txt");
  CHECK(errors.find("is not a regular file") != std::string::npos);
  CHECK(f.store.PendingCount() == 0);
}
#endif

TEST_CASE("daemon: a file over max_file_mb is rejected unread; a folder dropped in is left alone") {
  Fixture f;
  f.max_file_bytes = 1024;
  std::string big = kListSize;
  while (big.size() <= 1024) big += "2026-08-02,T01100,6600\n";
  f.wake.At(kStart + 1'000, Files({"list.csv", "folder"}), [&f, &big] {
    f.Drop("list.csv", big);
    fs::create_directory(f.drop.dir() / "folder");
  });
  f.wake.At(kStart + 60'000, Stop());
  f.Daemon().Run();
  std::string errors = files::Read(f.drop.dir() / "rejected" / "list.csv.errors.txt");
  CHECK(errors.find("list.csv: is larger than") == 0);
  CHECK(f.store.PendingCount() == 0);
  CHECK(fs::is_directory(f.drop.dir() / "folder"));
}

TEST_CASE("daemon: a failed sync backs off with jitter and honours Retry-After") {
  Fixture f;
  f.outcomes.push_back([] { throw Error::Network("connection refused"); });
  f.outcomes.push_back([] { throw Error::Network("connection refused"); });
  f.outcomes.push_back([] { throw Error::Unavailable("busy", std::chrono::seconds(30)); });
  f.wake.At(kStart + 1'000'000, Stop());
  f.Daemon().Run();
  REQUIRE(f.sync_times.size() == 5);  // 3 failures, the success, the next regular sync
  std::int64_t first = f.sync_times[1] - f.sync_times[0];
  std::int64_t second = f.sync_times[2] - f.sync_times[1];
  std::int64_t after_busy = f.sync_times[3] - f.sync_times[2];
  CHECK((first >= 1'000 && first <= 2'000));
  CHECK((second >= 2'000 && second <= 4'000));
  CHECK((after_busy >= 30'000 && after_busy <= 45'000));
  CHECK(f.sync_times[4] - f.sync_times[3] == 900'000);
}

TEST_CASE("daemon: a refused identity stops syncing, said once, until a reload") {
  Fixture f;
  f.outcomes.push_back([] { throw Error::Unauthorized("identity revoked [identity_revoked]"); });
  Wake reload;
  reload.reload = true;
  f.wake.At(kStart + 3'600'000, reload);
  f.wake.At(kStart + 3'700'000, Stop());
  f.Daemon().Run();
  // No retry loop for an hour; after the reload it tries again, once.
  CHECK(f.sync_times == std::vector<std::int64_t>{0, 3'600'000});
  CHECK(f.reloads == 1);
  CHECK(f.notifier.events == std::vector<std::string>{"ready", "reloading", "ready", "stopping"});
}

TEST_CASE("daemon: at the disk budget imports pause, the file stays, and resume later") {
  Fixture f;
  f.disk_budget = 1;  // already exceeded
  f.wake.At(kStart + 1'000, Files({"list.csv"}), [&f] { f.Drop("list.csv", kListSize); });
  // The operator raises the budget (the settings are read at each import).
  f.wake.At(kStart + 30'000, Wake{});
  f.wake.At(kStart + 200'000, Stop());
  auto daemon = f.Daemon();
  daemon.Step();
  while (f.clock.NowMillis() < kStart + 30'000) {
    daemon.Handle(f.wake.WaitUntil(daemon.NextWakeMs()));
    daemon.Step();
  }
  CHECK(fs::exists(f.drop.dir() / "list.csv"));
  CHECK(f.store.PendingCount() == 0);
  CHECK(f.store.GetState("last_error").value_or("").find("disk budget") != std::string::npos);
  f.disk_budget = 0;
  while (!daemon.stopping()) {
    daemon.Handle(f.wake.WaitUntil(daemon.NextWakeMs()));
    if (!daemon.stopping()) daemon.Step();
  }
  CHECK(fs::exists(f.drop.dir() / "processed" / "list.csv"));
  CHECK(f.store.PendingCount() == 1);
}

TEST_CASE("daemon: with a watchdog it says it is alive on time, and only then wakes") {
  Fixture f;
  f.notifier.every = 10s;
  f.wake.At(kStart + 60'000, Stop());
  f.Daemon().Run();
  CHECK(f.notifier.keep_alives == 6);  // at 0, 10, ..., 50 s; the stop came at 60 s
  for (std::int64_t deadline : f.wake.deadlines) CHECK((deadline - kStart) % 10'000 == 0);
}

TEST_CASE("daemon: changes queued by another command are synced after the quiet") {
  Fixture f;
  Wake changed;
  changed.local_change = true;
  f.wake.At(kStart + 30'000, changed);
  f.wake.At(kStart + 100'000, Stop());
  f.Daemon().Run();
  CHECK(f.sync_times == std::vector<std::int64_t>{0, 35'000});
}

TEST_CASE("daemon: enrolled again with a new certificate, a refused agent syncs again") {
  Fixture f;
  f.store.SetState("certificate_serial", "01");
  f.outcomes.push_back([] { throw Error::Unauthorized("identity revoked [identity_revoked]"); });
  Wake changed;
  changed.local_change = true;
  // Some other change first: the same refused identity, still no sync.
  f.wake.At(kStart + 100'000, changed);
  f.wake.At(kStart + 200'000, changed, [&f] { f.store.SetState("certificate_serial", "02"); });
  f.wake.At(kStart + 300'000, Stop());
  f.Daemon().Run();
  CHECK(f.sync_times == std::vector<std::int64_t>{0, 200'000});  // at once: long overdue
}
