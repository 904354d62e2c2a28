#include "tributary/common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

void WriteAtomic(const std::filesystem::path& path, std::string_view content,
                 std::filesystem::perms mode) {
  std::filesystem::path temp = path;
  temp += ".tmp";
  {
    Fd fd(
        ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode)));
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
