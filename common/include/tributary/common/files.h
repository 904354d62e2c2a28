// Whole-file reads and durable writes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace tributary::files {

// Reads the whole file. Throws Error(kIo) naming the path and the OS reason.
std::string Read(const std::filesystem::path& path);

// Reads a file someone else put in place (a drop folder): a regular file
// only, never through a symbolic link (O_NOFOLLOW, checked again on the open
// descriptor), and at most `max_bytes`. Throws Error(kInvalidInput) saying
// why for a link, anything but a regular file, or a file over the limit (the
// file's fault), and Error(kIo) when a regular file cannot be read.
std::string ReadRegularFile(const std::filesystem::path& path, std::uintmax_t max_bytes);

// Writes `content` to a temporary file beside `path`, fsyncs it, sets `mode`,
// renames it over `path` and fsyncs the directory: after return the new
// content survives a crash, and no reader ever sees a half-written file.
void WriteAtomic(const std::filesystem::path& path, std::string_view content,
                 std::filesystem::perms mode = std::filesystem::perms::owner_read |
                                               std::filesystem::perms::owner_write);

}  // namespace tributary::files
