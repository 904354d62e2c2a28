#include "platform/linux_wake_source.h"

#include <catch2/catch.hpp>

#include "temp_dir.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::agent;
namespace fs = std::filesystem;

TEST_CASE("wake source without inotify: each wake rescans and notices the changed-marker") {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "drop");
  FakeClock clock(1'000);
  LinuxWakeSource wake(dir.path() / "drop", dir.path(), clock, FileWatch::kLook);
  CHECK(wake.watch() == FileWatch::kLook);

  // The deadline has passed, so each wait returns at once.
  Wake first = wake.WaitUntil(1'000);
  CHECK(first.rescan);
  CHECK_FALSE(first.local_change);  // no marker yet

  files::WriteAtomic(dir.path() / kChangedMarker, "");
  CHECK(wake.WaitUntil(1'000).local_change);
  CHECK_FALSE(wake.WaitUntil(1'000).local_change);  // the same marker, already seen

  fs::last_write_time(dir.path() / kChangedMarker,
                      fs::last_write_time(dir.path() / kChangedMarker) + std::chrono::seconds(1));
  Wake again = wake.WaitUntil(1'000);
  CHECK(again.local_change);
  CHECK(again.rescan);
  CHECK_FALSE(again.stop);
}

TEST_CASE("wake source: a drop folder that does not exist is an error, not a silent fallback") {
  testing::TempDir dir;
  FakeClock clock(1'000);
  CHECK_THROWS_WITH(LinuxWakeSource(dir.path() / "missing", dir.path(), clock),
                    Catch::Contains("drop folder"));
  CHECK_THROWS_WITH(LinuxWakeSource(dir.path() / "missing", dir.path(), clock, FileWatch::kLook),
                    Catch::Contains("drop folder"));
}
