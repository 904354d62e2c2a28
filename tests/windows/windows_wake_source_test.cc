// The Windows wake source under wine: ReadDirectoryChangesW on the drop
// folder and the data directory, the waitable timer, the stop and reload
// requests of the Service Control Manager or the console.
#include "platform/windows_wake_source.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "temp_dir.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::agent;
namespace fs = std::filesystem;

namespace {

// Waits (up to ten wakes, each bounded by a deadline far enough for a
// loaded machine) until `seen` holds for a wake; returns whether it did.
template <typename Seen>
bool WokenWith(WindowsWakeSource& wake, const FakeClock& clock, Seen seen) {
  for (int i = 0; i < 10; ++i) {
    if (seen(wake.WaitUntil(clock.NowMillis() + 20'000))) return true;
  }
  return false;
}

bool Has(const Wake& wake, const std::string& name) {
  return std::find(wake.files.begin(), wake.files.end(), name) != wake.files.end();
}

}  // namespace

TEST_CASE("windows wake source: a file saved or moved into the drop folder wakes it by name") {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "drop");
  FakeClock clock(1'000);
  WindowsWakeSource wake(dir.path() / "drop", dir.path(), clock);

  std::ofstream(dir.path() / "drop" / "list.csv", std::ios::binary) << "ODS_CODE\n";
  CHECK(WokenWith(wake, clock, [](const Wake& w) { return Has(w, "list.csv"); }));

  std::ofstream(dir.path() / "staged.tmp", std::ios::binary) << "ODS_CODE\n";
  fs::rename(dir.path() / "staged.tmp", dir.path() / "drop" / "moved.csv");
  CHECK(WokenWith(wake, clock, [](const Wake& w) { return Has(w, "moved.csv"); }));
}

TEST_CASE("windows wake source: the changed-marker in the data directory is a local change") {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "drop");
  FakeClock clock(1'000);
  WindowsWakeSource wake(dir.path() / "drop", dir.path(), clock);
  files::WriteAtomic(dir.path() / kChangedMarker, "");  // as every agent command does
  CHECK(WokenWith(wake, clock, [](const Wake& w) { return w.local_change; }));
}

TEST_CASE("windows wake source: the deadline ends a quiet wait with nothing to do") {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "drop");
  FakeClock clock(1'000);
  WindowsWakeSource wake(dir.path() / "drop", dir.path(), clock);
  Wake quiet = wake.WaitUntil(1'050);  // 50 ms on the waitable timer
  CHECK_FALSE(quiet.stop);
  CHECK_FALSE(quiet.reload);
  CHECK(quiet.files.empty());
  Wake passed = wake.WaitUntil(0);  // a deadline already past returns at once
  CHECK_FALSE(passed.stop);
}

TEST_CASE("windows wake source: stop and reload requests from another thread wake it once") {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "drop");
  FakeClock clock(1'000);
  WindowsWakeSource wake(dir.path() / "drop", dir.path(), clock);

  std::thread manager([] { WindowsWakeSource::RequestStop(); });
  Wake stop = wake.WaitUntil(std::numeric_limits<std::int64_t>::max());  // only the request ends it
  manager.join();
  CHECK(stop.stop);
  CHECK_FALSE(wake.WaitUntil(1'000).stop);  // taken by the wait that reported it

  WindowsWakeSource::RequestReload();
  Wake reload = wake.WaitUntil(std::numeric_limits<std::int64_t>::max());
  CHECK(reload.reload);
  CHECK_FALSE(reload.stop);
}

TEST_CASE("windows wake source: a drop folder that does not exist is an error") {
  testing::TempDir dir;
  FakeClock clock(1'000);
  CHECK_THROWS_WITH(WindowsWakeSource(dir.path() / "missing", dir.path(), clock),
                    Catch::Contains("drop folder"));
}
