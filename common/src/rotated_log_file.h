// A log file that is started afresh when it reaches its size limit:
// agent.log is renamed agent.log.1 (agent.log.1 to .2, and so on), the oldest
// beyond `keep` is removed, and a new agent.log is begun. Used by log.h's
// UseRotatedFile for a service with no stderr (the Windows agent).
//
// Append() writes whole lines; a line is never split across two files.
// Failures to write or rotate are counted, not thrown: logging must not stop
// the program, and the next successful line says how many were lost.
// Not thread-safe: log.cc calls it under its mutex.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace tributary::log {

class RotatedLogFile {
 public:
  // Opens (creating the folder and file if need be) `path` for appending.
  // Throws Error(kIo) when it cannot.
  RotatedLogFile(std::filesystem::path path, std::uintmax_t max_bytes, int keep);
  ~RotatedLogFile();
  RotatedLogFile(const RotatedLogFile&) = delete;
  RotatedLogFile& operator=(const RotatedLogFile&) = delete;

  void Append(std::string_view line);
  std::uint64_t lost_lines() const { return lost_; }

 private:
  bool Open();
  void Rotate();

  std::filesystem::path path_;
  std::uintmax_t max_bytes_;
  std::uintmax_t rotate_at_;  // max_bytes_, or further on after a failed rotation
  int keep_;
  std::ofstream file_;
  std::uintmax_t size_ = 0;
  std::uint64_t lost_ = 0;
};

}  // namespace tributary::log
