#include "small_disk.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "tributary/common/unique_fd.h"

namespace tributary::testing {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

// Once per process: a mount namespace of our own, with nothing propagating
// back to the machine's.
void EnterPrivateMountNamespace() {
  static bool entered = false;
  if (entered) return;
  if (unshare(CLONE_NEWNS) != 0) Fail("unshare(CLONE_NEWNS)");
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    Fail("mount --make-rprivate /");
  entered = true;
}

}  // namespace

std::string SmallDisk::Unavailable() {
  if (geteuid() != 0) return "a full disk needs root (a private tmpfs mount)";
  return "";
}

SmallDisk::SmallDisk(std::filesystem::path mount_point, std::uint64_t size_bytes)
    : mount_point_(std::move(mount_point)), ballast_(mount_point_ / "ballast") {
  EnterPrivateMountNamespace();
  std::filesystem::create_directories(mount_point_);
  std::string options = "size=" + std::to_string(size_bytes) + ",mode=0700";
  if (mount("tributary-fault", mount_point_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
            options.c_str()) != 0) {
    Fail("mount tmpfs at " + mount_point_.string());
  }
}

SmallDisk::~SmallDisk() { umount2(mount_point_.c_str(), MNT_DETACH); }

std::uint64_t SmallDisk::FreeBytes() const {
  struct statvfs s {};
  if (statvfs(mount_point_.c_str(), &s) != 0) Fail("statvfs " + mount_point_.string());
  return static_cast<std::uint64_t>(s.f_bavail) * s.f_frsize;
}

void SmallDisk::Fill(std::uint64_t free_bytes) {
  Empty();
  std::uint64_t free_now = FreeBytes();
  if (free_now <= free_bytes) return;
  UniqueFd fd(open(ballast_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd.valid()) Fail("create " + ballast_.string());
  if (fallocate(fd.get(), 0, 0, static_cast<off_t>(free_now - free_bytes)) != 0) {
    Fail("fallocate " + ballast_.string());
  }
}

void SmallDisk::Empty() {
  std::error_code error;  // absent is fine (remove returns false), anything else is not
  std::filesystem::remove(ballast_, error);
  if (error) throw std::runtime_error("remove " + ballast_.string() + ": " + error.message());
}

}  // namespace tributary::testing
