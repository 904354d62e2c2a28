// The drop folder: the practice manager saves the clinical system's export
// in it, and the daemon imports each file once it is complete, then moves it
// to processed/, or to rejected/ with NAME.errors.txt beside it listing each
// problem as FILE:LINE: COLUMN: reason.
//
// A file is taken only once it has been closed after writing (or moved in)
// and its size and modification time have then stayed the same for `settle`:
// a half-written file is never read. Hidden and temporary files (".x", "*.tmp",
// "*.part", "*~") are left alone. Plain std::filesystem: the platform's
// watcher (platform/folder_watcher.h) only says which names to look at.
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
  // processed/STAMP-NAME if a file of that name is already there.
  std::filesystem::path MoveToProcessed(const std::filesystem::path& file, std::int64_t now_ms);
  // Moves `file` to rejected/, writes `problems` to NAME.errors.txt beside it,
  // and returns where the file went.
  std::filesystem::path MoveToRejected(const std::filesystem::path& file,
                                       const std::vector<std::string>& problems,
                                       std::int64_t now_ms);
  // Leaves `file` in place and looks at it again after `delay` (the store
  // was full or failed: not the file's fault).
  void Retry(const std::filesystem::path& file, std::int64_t now_ms,
             std::chrono::milliseconds delay);

  static bool IsCandidateName(const std::string& name);

 private:
  struct Seen {
    std::int64_t due_ms = 0;
    std::uintmax_t size = 0;
    std::filesystem::file_time_type modified;
  };
  std::filesystem::path Destination(const std::filesystem::path& folder,
                                    const std::filesystem::path& file, std::int64_t now_ms);

  std::filesystem::path dir_;
  std::chrono::milliseconds settle_;
  std::map<std::string, Seen> waiting_;  // by file name
};

}  // namespace tributary::agent
