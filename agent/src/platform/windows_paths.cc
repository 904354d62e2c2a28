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

}  // namespace tributary::agent
