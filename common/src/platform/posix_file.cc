// platform_file.h on POSIX (Linux): descriptors, fsync, rename(2), flock.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tributary/common/error.h"
#include "tributary/common/platform_file.h"

namespace tributary::platform {
namespace {

Error IoError(const std::string& what, const std::filesystem::path& path, int error = errno) {
  return Error::Io(what + " " + path.string() + ": " + std::strerror(error));
}

PathKind KindOfMode(mode_t mode) {
  if (S_ISREG(mode)) return PathKind::kRegular;
  if (S_ISDIR(mode)) return PathKind::kDirectory;
  if (S_ISLNK(mode)) return PathKind::kLink;
  return PathKind::kOther;
}

int Fd(std::intptr_t handle) { return static_cast<int>(handle); }

}  // namespace

PathKind KindOf(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return PathKind::kMissing;
    throw IoError("cannot look at", path);
  }
  return KindOfMode(st.st_mode);
}

File::File(std::intptr_t handle, std::filesystem::path path)
    : handle_(handle), path_(std::move(path)) {}

File::File(File&& other) noexcept : handle_(other.handle_), path_(std::move(other.path_)) {
  other.handle_ = -1;
}

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    if (handle_ >= 0) ::close(Fd(handle_));
    handle_ = other.handle_;
    path_ = std::move(other.path_);
    other.handle_ = -1;
  }
  return *this;
}

File::~File() {
  if (handle_ >= 0) ::close(Fd(handle_));
}

std::optional<File> File::OpenForReadingNoFollow(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ELOOP) return std::nullopt;
    throw IoError("cannot open", path);
  }
  return File(fd, path);
}

std::optional<File> File::CreateOwnerOnly(const std::filesystem::path& path, bool exclusive) {
  int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
  int fd = ::open(path.c_str(), flags, 0600);
  if (fd < 0) {
    if (exclusive && errno == EEXIST) return std::nullopt;
    throw IoError("cannot create", path);
  }
  File file(fd, path);
  if (::fchmod(fd, 0600) != 0) throw IoError("cannot chmod", path);  // the umask aside
  return file;
}

File File::OpenToSync(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) throw IoError("cannot open", path);
  return File(fd, path);
}

File File::OpenLockFile(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw IoError("cannot open", path);
  return File(fd, path);
}

PathKind File::Kind() const {
  struct stat st {};
  if (::fstat(Fd(handle_), &st) != 0) throw IoError("cannot look at", path_);
  return KindOfMode(st.st_mode);
}

std::uint64_t File::Size() const {
  struct stat st {};
  if (::fstat(Fd(handle_), &st) != 0) throw IoError("cannot look at", path_);
  return static_cast<std::uint64_t>(st.st_size);
}

std::size_t File::Read(char* buffer, std::size_t size) {
  for (;;) {
    ssize_t n = ::read(Fd(handle_), buffer, size);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) throw IoError("cannot read", path_);
  }
}

void File::WriteAll(std::string_view data) {
  std::size_t written = 0;
  while (written < data.size()) {
    ssize_t n = ::write(Fd(handle_), data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw IoError("cannot write", path_);
    written += static_cast<std::size_t>(n);
  }
}

void File::SetPermissions(std::filesystem::perms mode) {
  if (::fchmod(Fd(handle_), static_cast<mode_t>(mode)) != 0) throw IoError("cannot chmod", path_);
}

void File::Sync() {
  if (::fsync(Fd(handle_)) != 0) throw IoError("cannot sync", path_);
}

void File::Lock() {
  while (::flock(Fd(handle_), LOCK_EX) != 0) {
    if (errno != EINTR) throw IoError("cannot lock", path_);
  }
}

void File::Close() {
  int fd = Fd(handle_);
  handle_ = -1;
  if (::close(fd) != 0) throw IoError("cannot close", path_);
}

void RenameOver(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    throw Error::Io("cannot rename " + from.string() + " to " + to.string() + ": " +
                    std::strerror(errno));
  }
}

void SyncDirectory(const std::filesystem::path& dir) {
  std::filesystem::path target = dir.empty() ? "." : dir;
  int fd = ::open(target.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw IoError("cannot sync directory", target);
  int rc = ::fsync(fd);
  int error = errno;
  ::close(fd);
  if (rc != 0) throw IoError("cannot sync directory", target, error);
}

void MakeOwnerOnly(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0 && ::chmod(path.c_str(), 0600) != 0) {
    throw IoError("cannot chmod", path);
  }
}

void LetDropFolderUsersRead(const std::filesystem::path& path) {
  if (::chmod(path.c_str(), 0640) != 0) throw IoError("cannot chmod", path);
}

void RestrictFolder(const std::filesystem::path& dir) {
  if (::chmod(dir.c_str(), 0700) != 0) throw IoError("cannot chmod", dir);
}

bool OthersMayRead(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw IoError("cannot look at", path);
  return (st.st_mode & (S_IRWXG | S_IRWXO)) != 0;
}

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) != 0; }

bool StderrIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  struct stat st {};
  if (stream == nullptr || ::fstat(STDERR_FILENO, &st) != 0) return false;
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) == stream;
}

std::string Utf8(const std::filesystem::path& path) { return path.string(); }

}  // namespace tributary::platform
