// default_paths.h on Windows: under the ProgramData known folder.
#include <windows.h>
// after windows.h
#include <knownfolders.h>
#include <shlobj.h>

#include "platform/default_paths.h"
#include "tributary/common/error.h"

namespace tributary::agent {
namespace {

std::filesystem::path ProgramData() {
  wchar_t* path = nullptr;
  HRESULT rc = SHGetKnownFolderPath(FOLDERID_ProgramData, 0, nullptr, &path);
  if (FAILED(rc)) {
    CoTaskMemFree(path);
    throw Error::Io("cannot find the ProgramData folder: HRESULT " +
                    std::to_string(static_cast<unsigned long>(rc)));
  }
  std::filesystem::path folder(path);
  CoTaskMemFree(path);
  return folder;
}

}  // namespace

std::filesystem::path DefaultConfigPath() { return ProgramData() / "Tributary" / "agent.toml"; }
std::filesystem::path DefaultDataDir() { return ProgramData() / "Tributary" / "agent"; }
// Not inside the data folder, which only SYSTEM and Administrators may open.
std::filesystem::path DefaultDropFolder(const std::filesystem::path& data_dir) {
  return data_dir.parent_path() / "drop";
}

}  // namespace tributary::agent
