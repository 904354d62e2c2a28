#include "daemon/drop_folder.h"

#include <catch2/catch.hpp>
#include <fstream>

#include "temp_dir.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::agent;
namespace fs = std::filesystem;

namespace {

void Append(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::app | std::ios::binary);
  out << text;
}

// A modification time the file did not have, as a write a second later would leave.
void Touch(const fs::path& file) {
  fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(1));
}

}  // namespace

TEST_CASE("drop folder: hidden and temporary files are left alone") {
  CHECK(DropFolder::IsCandidateName("appointments-2026-08.csv"));
  CHECK(DropFolder::IsCandidateName("Workforce August.CSV"));
  for (const char* name : {".hidden.csv", "~$export.csv", "export.csv.tmp", "export.csv.part",
                           "export.csv~", ".~lock.export.csv#", "export.crdownload"}) {
    INFO(name);
    CHECK_FALSE(DropFolder::IsCandidateName(name));
  }
}

TEST_CASE("drop folder: a file is due only once it has stayed the same for the settle time") {
  testing::TempDir dir;
  DropFolder drop(dir.path() / "drop", std::chrono::seconds(2));
  drop.CreateLayout();
  fs::path file = drop.dir() / "list.csv";
  Append(file, "EXTRACT_DATE,PRACTICE_CODE");
  drop.OnFileEvent("list.csv", 1'000);
  CHECK(drop.NextDueMs() == 3'000);
  CHECK(drop.TakeDue(2'999).empty());

  // Written to again before it settled: it waits again from when that was seen.
  Append(file, ",NUMBER_OF_PATIENTS\n");
  CHECK(drop.TakeDue(3'000).empty());
  CHECK(drop.NextDueMs() == 5'000);
  Touch(file);  // same size, newer time: still changing
  CHECK(drop.TakeDue(5'000).empty());
  CHECK(drop.TakeDue(7'000) == std::vector<fs::path>{file});
  CHECK_FALSE(drop.NextDueMs());  // taken: no longer tracked
}

TEST_CASE("drop folder: files already there are found by a scan, temporary ones are not") {
  testing::TempDir dir;
  DropFolder drop(dir.path() / "drop", std::chrono::seconds(0));
  drop.CreateLayout();
  Append(drop.dir() / "b.csv", "x");
  Append(drop.dir() / "a.csv", "x");
  Append(drop.dir() / "a.csv.part", "x");
  drop.ScanExisting(0);
  auto due = drop.TakeDue(0);
  REQUIRE(due.size() == 2);
  CHECK(due[0].filename() == "a.csv");
  CHECK(due[1].filename() == "b.csv");
}

TEST_CASE("drop folder: processed and rejected files move, with the errors beside a rejected one") {
  testing::TempDir dir;
  DropFolder drop(dir.path() / "drop", std::chrono::seconds(0));
  drop.CreateLayout();
  Append(drop.dir() / "good.csv", "1");
  Append(drop.dir() / "bad.csv", "2");
  CHECK(drop.MoveToProcessed(drop.dir() / "good.csv", 0) == drop.dir() / "processed" / "good.csv");
  fs::path rejected =
      drop.MoveToRejected(drop.dir() / "bad.csv", {"bad.csv:2: PATIENTS: not a number"}, 0);
  CHECK(rejected == drop.dir() / "rejected" / "bad.csv");
  CHECK(files::Read(drop.dir() / "rejected" / "bad.csv.errors.txt") ==
        "bad.csv:2: PATIENTS: not a number\n");
  CHECK_FALSE(fs::exists(drop.dir() / "good.csv"));
  CHECK_FALSE(fs::exists(drop.dir() / "bad.csv"));

  // The same name again keeps the first and stamps the second.
  Append(drop.dir() / "good.csv", "3");
  fs::path second = drop.MoveToProcessed(drop.dir() / "good.csv", 1'764'000'000'000);
  CHECK(second.filename() == "20251124T160000Z-good.csv");
  CHECK(files::Read(drop.dir() / "processed" / "good.csv") == "1");
  CHECK(files::Read(second) == "3");
}

TEST_CASE(
    "drop folder: the reasons are beside the folder for whoever saved the file, never taken as "
    "a file, and gone once a corrected file of its name is imported") {
  testing::TempDir dir;
  DropFolder drop(dir.path() / "drop", std::chrono::seconds(0));
  drop.CreateLayout();
  Append(drop.dir() / "bad.csv", "2");
  drop.MoveToRejected(drop.dir() / "bad.csv", {"bad.csv:2: PATIENTS: not a number"}, 0);
  fs::path beside = drop.dir() / "bad.csv.errors.txt";
  std::string reasons = files::Read(beside);
  CHECK(reasons.find("bad.csv was not imported") == 0);
  CHECK(reasons.find("bad.csv:2: PATIENTS: not a number\n") != std::string::npos);
#ifndef _WIN32
  // Readable by the folder's group (who may save files there), nobody else.
  // (On Windows an ACL does it: wine keeps only a Unix mode, docs/windows.md.)
  CHECK((fs::status(beside).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
#endif
  CHECK_FALSE(DropFolder::IsCandidateName("bad.csv.errors.txt"));
  drop.ScanExisting(0);
  CHECK(drop.TakeDue(0).empty());

  Append(drop.dir() / "bad.csv", "3");
  drop.MoveToProcessed(drop.dir() / "bad.csv", 0);
  CHECK_FALSE(fs::exists(beside));
  CHECK(fs::exists(drop.dir() / "rejected" / "bad.csv.errors.txt"));  // the record stays
}

TEST_CASE("drop folder: an export of one row per appointment is removed, a note kept") {
  testing::TempDir dir;
  DropFolder drop(dir.path() / "drop", std::chrono::seconds(0));
  drop.CreateLayout();
  Append(drop.dir() / "emis.csv", "Appointment Date,NHS Number\n");
  fs::path note = drop.RemoveImported(drop.dir() / "emis.csv", "emis.csv: SHA-256 ab, 1 rows", 0);
  CHECK(note == drop.dir() / "processed" / "emis.csv.imported.txt");
  CHECK(files::Read(note) == "emis.csv: SHA-256 ab, 1 rows\n");
  CHECK_FALSE(fs::exists(drop.dir() / "emis.csv"));
  CHECK_FALSE(fs::exists(drop.dir() / "processed" / "emis.csv"));
}

TEST_CASE("drop folder: a retried file is due again after the delay") {
  testing::TempDir dir;
  DropFolder drop(dir.path() / "drop", std::chrono::seconds(1));
  drop.CreateLayout();
  Append(drop.dir() / "a.csv", "x");
  drop.OnFileEvent("a.csv", 0);
  auto due = drop.TakeDue(1'000);
  REQUIRE(due.size() == 1);
  drop.Retry(due[0], 1'000, std::chrono::seconds(60));
  CHECK(drop.TakeDue(60'999).empty());
  CHECK(drop.TakeDue(61'000).size() == 1);
}

TEST_CASE("drop folder: a retried file is due at once when what it waited for is back") {
  testing::TempDir dir;
  DropFolder drop(dir.path() / "drop", std::chrono::seconds(1));
  drop.CreateLayout();
  Append(drop.dir() / "a.csv", "x");
  Append(drop.dir() / "b.csv", "y");
  drop.OnFileEvent("a.csv", 0);
  auto due = drop.TakeDue(1'000);
  REQUIRE(due.size() == 1);
  drop.Retry(due[0], 1'000, std::chrono::seconds(60));
  drop.OnFileEvent("b.csv", 2'000);  // still settling: not hurried
  drop.RetryWaitingNow(2'000);
  CHECK(drop.TakeDue(2'000) == std::vector<fs::path>{drop.dir() / "a.csv"});
  CHECK(drop.TakeDue(3'000) == std::vector<fs::path>{drop.dir() / "b.csv"});
}

TEST_CASE("drop folder: a file seen again unchanged keeps settling from when it was first seen") {
  testing::TempDir dir;
  DropFolder drop(dir.path() / "drop", std::chrono::seconds(60));
  drop.CreateLayout();
  Append(drop.dir() / "a.csv", "x");
  drop.ScanExisting(0);
  // Rescans every 30 s (as when the agent looks rather than being told)
  // must not put the file off for ever.
  drop.ScanExisting(30'000);
  drop.ScanExisting(59'999);
  CHECK(drop.NextDueMs() == 60'000);
  CHECK(drop.TakeDue(60'000).size() == 1);
}

#ifndef _WIN32  // symbolic links as POSIX makes them (not under wine)
TEST_CASE("drop folder: processed/ or rejected/ that is a link is refused, never moved into") {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "drop");
  fs::create_directories(dir.path() / "elsewhere");
  fs::create_directory_symlink(dir.path() / "elsewhere", dir.path() / "drop" / "processed");
  DropFolder drop(dir.path() / "drop", std::chrono::seconds(0));
  CHECK_THROWS_WITH(drop.CreateLayout(), Catch::Contains("not a folder of its own"));
  CHECK(fs::is_empty(dir.path() / "elsewhere"));
}
#endif
