// The drop folder: the practice manager saves the clinical system's export
// in it, and the daemon imports each file once it is complete, then moves it
// to processed/, or to rejected/ with NAME.errors.txt beside it listing each
// problem as FILE:LINE: COLUMN: reason. The reasons are also written to
// NAME.errors.txt in the drop folder itself, readable by whoever may save
// files there (platform::LetDropFolderUsersRead), so a practice user who is
// not an administrator sees why; a later file of that name imported removes it.
//
// A file is taken only once it has been closed after writing (or moved in)
// and its size and modification time have then stayed the same for `settle`:
// a half-written file is never read. Hidden and temporary files (".x", "*.tmp",
// "*.part", "*~") are left alone, and so are folders (processed/, rejected/).
// Anything else that is not a regular file (a symbolic link, a pipe) is
// handed on like a file, never followed, and the import refuses it
// (FileOrigin::kDropFolder), so it lands in rejected/ with the reason. Plain
// POSIX lstat: the platform's watcher only says which names to look at.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tributary::agent {

class DropFolder {
 public:
  DropFolder(std::filesystem::path dir, std::chrono::milliseconds settle);

  // Creates the folder, processed/ and rejected/ if missing.
  void CreateLayout();
  const std::filesystem::path& dir() const { return dir_; }

  // Something happened to `name` (closed after writing, moved in, changed).
  void OnFileEvent(const std::string& name, std::int64_t now_ms);
  // Looks at every file already in the folder (at start, and after the
  // watcher overflowed).
  void ScanExisting(std::int64_t now_ms);

  // When the next file may be due; nullopt when none is waiting.
  std::optional<std::int64_t> NextDueMs() const;
  // The files due and unchanged since last seen, oldest event first; they are
  // no longer tracked (call one of the Move functions or Retry for each).
  std::vector<std::filesystem::path> TakeDue(std::int64_t now_ms);

  // Moves `file` to processed/ and returns where it went: processed/NAME, or
  // processed/STAMP-NAME if a file of that name is already there. The reasons
  // an earlier file of its name was refused, if still beside it, are removed.
  std::filesystem::path MoveToProcessed(const std::filesystem::path& file, std::int64_t now_ms);
  // Moves `file` to rejected/, writes `problems` to NAME.errors.txt beside it,
  // and returns where the file went.
  std::filesystem::path MoveToRejected(const std::filesystem::path& file,
                                       const std::vector<std::string>& problems,
                                       std::int64_t now_ms);
  // Removes `file`, an export of one row per appointment whose counts are
  // now in the store: its patient-level rows are not kept. `summary` (its
  // digest and row count) is written to processed/NAME.imported.txt, which
  // is returned.
  std::filesystem::path RemoveImported(const std::filesystem::path& file,
                                       const std::string& summary, std::int64_t now_ms);
  // Leaves `file` in place and looks at it again after `delay` (the store
  // was full or failed: not the file's fault).
  void Retry(const std::filesystem::path& file, std::int64_t now_ms,
             std::chrono::milliseconds delay);
  // Files waiting to be tried again (Retry) are due at `now_ms`: what they
  // waited for (the server) is back.
  void RetryWaitingNow(std::int64_t now_ms);

  static bool IsCandidateName(const std::string& name);

 private:
  // What lstat says of an entry: never what a link points to.
  struct Seen {
    std::int64_t due_ms = 0;
    std::uintmax_t size = 0;
    std::int64_t modified_ns = 0;
    bool retrying = false;  // put back by Retry, not still settling
    bool operator==(const Seen& other) const {
      return size == other.size && modified_ns == other.modified_ns;
    }
  };
  // The entry `name` as it is now, or nullopt when it is gone or a folder.
  std::optional<Seen> Observe(const std::string& name) const;
  std::filesystem::path Destination(const std::filesystem::path& folder,
                                    const std::filesystem::path& file, std::int64_t now_ms);

  std::filesystem::path dir_;
  std::chrono::milliseconds settle_;
  std::map<std::string, Seen> waiting_;  // by file name
};

}  // namespace tributary::agent
