// run_as_owner.h on Windows: nothing to switch. The agent's data folder
// belongs to SYSTEM and Administrators (platform_file.h, RestrictFolder): the
// service runs as LocalSystem and an administrator runs the commands, and
// both may use every file either makes.
#include "tributary/common/run_as_owner.h"

namespace tributary {

void RunAsOwnerOf(const std::filesystem::path&) {}

}  // namespace tributary
