// run_as_owner.h on POSIX: setuid to the data directory's owner.
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "tributary/common/error.h"
#include "tributary/common/run_as_owner.h"

namespace tributary {

void RunAsOwnerOf(const std::filesystem::path& data_dir) {
  if (geteuid() != 0) return;
  struct stat info {};
  if (::stat(data_dir.c_str(), &info) != 0 || info.st_uid == 0) return;
  // Group first: once the user is switched, changing groups is not allowed.
  if (setgroups(0, nullptr) != 0 || setgid(info.st_gid) != 0 || setuid(info.st_uid) != 0) {
    throw Error::Io("cannot switch to the owner of " + data_dir.string() + ": " +
                    std::strerror(errno));
  }
}

}  // namespace tributary
