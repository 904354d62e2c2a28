#include "tributary/common/files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "tributary/common/error.h"
#include "tributary/common/platform_file.h"

namespace tributary::files {
namespace {

using platform::PathKind;

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
  auto not_regular = [&](PathKind kind) {
    if (kind == PathKind::kLink) {
      return refuse("is a symbolic link; only the file itself is taken");
    }
    if (kind == PathKind::kDirectory) return refuse("is a folder, not a file");
    return refuse("is not a regular file (a pipe, socket or device); only a saved file is taken");
  };
  PathKind before = platform::KindOf(path);
  if (before == PathKind::kMissing) {
    throw Error::Io("cannot open " + path.string() + ": no such file");
  }
  if (before != PathKind::kRegular) throw not_regular(before);
  std::optional<platform::File> file = platform::File::OpenForReadingNoFollow(path);
  if (!file) throw not_regular(PathKind::kLink);  // made a link since
  if (PathKind opened = file->Kind(); opened != PathKind::kRegular) throw not_regular(opened);
  auto too_large = [&] {
    return refuse("is larger than " + std::to_string(max_bytes >> 20) +
                  " MiB, the most one file may hold");
  };
  std::uint64_t size = file->Size();
  if (size > max_bytes) throw too_large();
  std::string content;
  content.resize(static_cast<std::size_t>(size));
  std::size_t got = 0;
  for (;;) {
    // Read to the end, whatever the size said: a file still growing is caught here.
    if (got == content.size()) {
      if (content.size() > max_bytes) throw too_large();
      content.resize(std::min<std::uintmax_t>(content.size() + 65536, max_bytes + 1));
    }
    std::size_t n = file->Read(content.data() + got, content.size() - got);
    if (n == 0) break;
    got += n;
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
    platform::File file = *platform::File::CreateOwnerOnly(temp, /*exclusive=*/false);
    file.WriteAll(content);
    file.SetPermissions(mode);
    file.Sync();
    file.Close();
  }
  platform::RenameOver(temp, path);
  platform::SyncDirectory(path.parent_path());
}

}  // namespace tributary::files
