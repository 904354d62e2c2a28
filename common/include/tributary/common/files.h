// Whole-file reads and durable writes.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace tributary::files {

// Reads the whole file. Throws Error(kIo) naming the path and the OS reason.
std::string Read(const std::filesystem::path& path);

// Writes `content` to a temporary file beside `path`, fsyncs it, sets `mode`,
// renames it over `path` and fsyncs the directory: after return the new
// content survives a crash, and no reader ever sees a half-written file.
void WriteAtomic(const std::filesystem::path& path, std::string_view content,
                 std::filesystem::perms mode = std::filesystem::perms::owner_read |
                                               std::filesystem::perms::owner_write);

}  // namespace tributary::files
