// An operator runs `sudo tributary-server user add ...` or `sudo
// tributary-agent enrol ...`; the files those write must stay the service
// user's, or the service could no longer open its own store. So a command run
// as root on a data directory owned by another user becomes that user first.
#pragma once

#include <filesystem>

namespace tributary {

// When running as root and `data_dir` exists and belongs to another user,
// switches the process to that user and group for good. Otherwise does
// nothing. Throws Error(kIo) if the switch fails.
void RunAsOwnerOf(const std::filesystem::path& data_dir);

}  // namespace tributary
