// A small disk of the harness's own for an agent's data, which it can fill.
//
// A tmpfs of a fixed size mounted in a mount namespace private to the harness
// (and the processes it starts), so the mount is invisible to the rest of the
// machine and cannot outlive the harness. Fill() leaves a chosen number of
// bytes free by allocating a ballast file beside the agent's data; the agent
// then meets ENOSPC exactly as on a full disk. Empty() frees it again.
//
// Needs root (CAP_SYS_ADMIN); Unavailable() says whether it is.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace tributary::testing {

class SmallDisk {
 public:
  static std::string Unavailable();

  // Mounts a tmpfs of `size_bytes` at `mount_point` (created if missing).
  SmallDisk(std::filesystem::path mount_point, std::uint64_t size_bytes);
  ~SmallDisk();  // unmounts
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  const std::filesystem::path& path() const { return mount_point_; }
  // Leaves about `free_bytes` free (never more than is free now).
  void Fill(std::uint64_t free_bytes);
  void Empty();
  std::uint64_t FreeBytes() const;

 private:
  std::filesystem::path mount_point_;
  std::filesystem::path ballast_;
};

}  // namespace tributary::testing
