#include "tributary/common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "tributary/common/error.h"

namespace tributary::files {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now, reporting failure (close can report a deferred write error).
  bool Close() {
    int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

Error IoError(const std::string& what, const std::filesystem::path& path) {
  return Error::Io(what + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open", path);
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw IoError("cannot read", path);
  return content.str();
}

std::string ReadRegularFile(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  auto refuse = [&path](const std::string& why) {
    return Error::InvalidInput(path.string() + ": " + why);
  };
  auto not_regular = [&](mode_t mode) {
    if (S_ISLNK(mode)) return refuse("is a symbolic link; only the file itself is taken");
    if (S_ISDIR(mode)) return refuse("is a folder, not a file");
    return refuse("is not a regular file (a pipe, socket or device); only a saved file is taken");
  };
  struct stat before {};
  if (::lstat(path.c_str(), &before) != 0) throw IoError("cannot open", path);
  if (!S_ISREG(before.st_mode)) throw not_regular(before.st_mode);
  // O_NONBLOCK: had a pipe been put in its place since, opening it does not wait for a writer.
  Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ELOOP) throw not_regular(S_IFLNK);
    throw IoError("cannot open", path);
  }
  struct stat opened {};
  if (::fstat(fd.get(), &opened) != 0) throw IoError("cannot read", path);
  if (!S_ISREG(opened.st_mode)) throw not_regular(opened.st_mode);
  auto too_large = [&] {
    return refuse("is larger than " + std::to_string(max_bytes >> 20) +
                  " MiB, the most one file may hold");
  };
  if (static_cast<std::uintmax_t>(opened.st_size) > max_bytes) throw too_large();
  std::string content;
  content.resize(static_cast<std::size_t>(opened.st_size));
  std::size_t got = 0;
  for (;;) {
    // Read to the end, whatever the size said: a file still growing is caught here.
    if (got == content.size()) {
      if (content.size() > max_bytes) throw too_large();
      content.resize(std::min<std::uintmax_t>(content.size() + 65536, max_bytes + 1));
    }
    ssize_t n = ::read(fd.get(), content.data() + got, content.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw IoError("cannot read", path);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got > max_bytes) throw too_large();
  content.resize(got);
  return content;
}

void WriteAtomic(const std::filesystem::path& path, std::string_view content,
                 std::filesystem::perms mode) {
  std::filesystem::path temp = path;
  temp += ".tmp";
  {
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                 static_cast<mode_t>(mode)));
    if (fd.get() < 0) throw IoError("cannot create", temp);
    std::size_t written = 0;
    while (written < content.size()) {
      ssize_t n = ::write(fd.get(), content.data() + written, content.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw IoError("cannot write", temp);
      written += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0) throw IoError("cannot chmod", temp);
    if (::fsync(fd.get()) != 0) throw IoError("cannot sync", temp);
    if (!fd.Close()) throw IoError("cannot close", temp);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) throw IoError("cannot rename onto", path);
  std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0 || ::fsync(dir_fd.get()) != 0) throw IoError("cannot sync directory", dir);
}

}  // namespace tributary::files
