// platform_file.h on Windows: HANDLEs from CreateFileW, FlushFileBuffers,
// MoveFileExW, LockFileEx, ACLs.
#include <windows.h>
// after windows.h
#include <aclapi.h>
#include <io.h>
#include <sddl.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "tributary/common/error.h"
#include "tributary/common/platform_file.h"

namespace tributary::platform {
namespace {

std::string Reason(DWORD error) {
  char* text = nullptr;
  DWORD n = FormatMessageA(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, error, 0, reinterpret_cast<char*>(&text), 0, nullptr);
  std::string reason =
      n > 0 && text != nullptr ? std::string(text, n) : "error " + std::to_string(error);
  if (text != nullptr) LocalFree(text);
  while (!reason.empty() && (reason.back() == '\n' || reason.back() == '\r' ||
                             reason.back() == '.' || reason.back() == ' ')) {
    reason.pop_back();
  }
  return reason;
}

Error IoError(const std::string& what, const std::filesystem::path& path,
              DWORD error = GetLastError()) {
  return Error::Io(what + " " + path.string() + ": " + Reason(error));
}

HANDLE H(std::intptr_t handle) { return reinterpret_cast<HANDLE>(handle); }
std::intptr_t I(HANDLE handle) { return reinterpret_cast<std::intptr_t>(handle); }
constexpr std::intptr_t kNone = -1;  // INVALID_HANDLE_VALUE

// A link is a reparse point that sends the path elsewhere: a symbolic link
// or a junction. Other reparse points (deduplicated files, cloud
// files kept online by OneDrive) are the file itself, read through their filter.
bool IsLinkTag(DWORD tag) {
  return tag == IO_REPARSE_TAG_SYMLINK || tag == IO_REPARSE_TAG_MOUNT_POINT;
}

PathKind KindOfAttributes(DWORD attributes, DWORD reparse_tag) {
  if ((attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0 && IsLinkTag(reparse_tag)) {
    return PathKind::kLink;
  }
  if ((attributes & FILE_ATTRIBUTE_DIRECTORY) != 0) return PathKind::kDirectory;
  if ((attributes & FILE_ATTRIBUTE_DEVICE) != 0) return PathKind::kOther;
  return PathKind::kRegular;
}

// The attributes and reparse tag of an open handle.
PathKind KindOfHandle(HANDLE handle, const std::filesystem::path& path) {
  FILE_ATTRIBUTE_TAG_INFO info{};
  if (!GetFileInformationByHandleEx(handle, FileAttributeTagInfo, &info, sizeof info)) {
    throw IoError("cannot look at", path);
  }
  return KindOfAttributes(info.FileAttributes, info.ReparseTag);
}

// Opens the path itself, never what a link at it points to.
HANDLE OpenNoFollow(const std::filesystem::path& path, DWORD access, DWORD share) {
  return CreateFileW(path.c_str(), access, share, nullptr, OPEN_EXISTING,
                     FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, nullptr);
}

// SYSTEM's or the Administrators group's SID, converting to PSID where one is taken.
class WellKnownSid {
 public:
  explicit WellKnownSid(WELL_KNOWN_SID_TYPE type) {
    DWORD size = sizeof sid_;
    CreateWellKnownSid(type, nullptr, sid_, &size);
  }
  operator PSID() { return sid_; }

 private:
  BYTE sid_[SECURITY_MAX_SID_SIZE];
};

struct LocalFreer {
  void operator()(void* p) const { LocalFree(p); }
};

}  // namespace

namespace {

// Replaces `path`'s ACL with the one `sddl` describes, not inherited from above.
void SetProtectedAcl(const std::filesystem::path& path, const wchar_t* sddl) {
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &descriptor,
                                                            nullptr)) {
    throw IoError("cannot make the permissions for", path);
  }
  std::unique_ptr<void, LocalFreer> held(descriptor);
  BOOL present = FALSE;
  BOOL defaulted = FALSE;
  PACL dacl = nullptr;
  GetSecurityDescriptorDacl(descriptor, &present, &dacl, &defaulted);
  DWORD rc = SetNamedSecurityInfoW(const_cast<wchar_t*>(path.c_str()), SE_FILE_OBJECT,
                                   DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                                   nullptr, nullptr, dacl, nullptr);
  if (rc != ERROR_SUCCESS) throw IoError("cannot set the permissions of", path, rc);
}

}  // namespace

PathKind KindOf(const std::filesystem::path& path) {
  DWORD attributes = GetFileAttributesW(path.c_str());
  if (attributes == INVALID_FILE_ATTRIBUTES) {
    DWORD error = GetLastError();
    if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) return PathKind::kMissing;
    throw IoError("cannot look at", path, error);
  }
  if ((attributes & FILE_ATTRIBUTE_REPARSE_POINT) == 0) return KindOfAttributes(attributes, 0);
  HANDLE h = OpenNoFollow(path, FILE_READ_ATTRIBUTES,
                          FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE);
  if (h == INVALID_HANDLE_VALUE) throw IoError("cannot look at", path);
  PathKind kind = PathKind::kOther;
  try {
    kind = KindOfHandle(h, path);
  } catch (...) {
    CloseHandle(h);
    throw;
  }
  CloseHandle(h);
  return kind;
}

File::File(std::intptr_t handle, std::filesystem::path path)
    : handle_(handle), path_(std::move(path)) {}

File::File(File&& other) noexcept : handle_(other.handle_), path_(std::move(other.path_)) {
  other.handle_ = kNone;
}

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    if (handle_ != kNone) CloseHandle(H(handle_));
    handle_ = other.handle_;
    path_ = std::move(other.path_);
    other.handle_ = kNone;
  }
  return *this;
}

File::~File() {
  if (handle_ != kNone) CloseHandle(H(handle_));
}

std::optional<File> File::OpenForReadingNoFollow(const std::filesystem::path& path) {
  HANDLE h = CreateFileW(
      path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
      OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, nullptr);
  if (h == INVALID_HANDLE_VALUE) throw IoError("cannot open", path);
  File file(I(h), path);
  if (file.Kind() == PathKind::kLink) return std::nullopt;
  return file;
}

std::optional<File> File::CreateOwnerOnly(const std::filesystem::path& path, bool exclusive) {
  if (KindOf(path) == PathKind::kLink)
    throw Error::Io("cannot create " + path.string() + ": it is a link");
  HANDLE h = CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, nullptr,
                         exclusive ? CREATE_NEW : CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    DWORD error = GetLastError();
    if (exclusive && error == ERROR_FILE_EXISTS) return std::nullopt;
    throw IoError("cannot create", path, error);
  }
  return File(I(h), path);
}

File File::OpenToSync(const std::filesystem::path& path) {
  HANDLE h = OpenNoFollow(path, GENERIC_READ | GENERIC_WRITE,
                          FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE);
  if (h == INVALID_HANDLE_VALUE) throw IoError("cannot open", path);
  File file(I(h), path);
  if (file.Kind() == PathKind::kLink) {
    throw Error::Io("cannot sync " + path.string() + ": it is a link");
  }
  return file;
}

File File::OpenLockFile(const std::filesystem::path& path) {
  HANDLE h = CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                         OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) throw IoError("cannot open", path);
  return File(I(h), path);
}

PathKind File::Kind() const { return KindOfHandle(H(handle_), path_); }

std::uint64_t File::Size() const {
  LARGE_INTEGER size{};
  if (!GetFileSizeEx(H(handle_), &size)) throw IoError("cannot look at", path_);
  return static_cast<std::uint64_t>(size.QuadPart);
}

std::size_t File::Read(char* buffer, std::size_t size) {
  DWORD want = size > 0x40000000 ? 0x40000000 : static_cast<DWORD>(size);
  DWORD got = 0;
  if (!ReadFile(H(handle_), buffer, want, &got, nullptr)) throw IoError("cannot read", path_);
  return got;
}

void File::WriteAll(std::string_view data) {
  std::size_t written = 0;
  while (written < data.size()) {
    std::size_t left = data.size() - written;
    DWORD chunk = left > 0x40000000 ? 0x40000000 : static_cast<DWORD>(left);
    DWORD n = 0;
    if (!WriteFile(H(handle_), data.data() + written, chunk, &n, nullptr)) {
      throw IoError("cannot write", path_);
    }
    written += n;
  }
}

void File::SetPermissions(std::filesystem::perms) {}

void File::Sync() {
  if (!FlushFileBuffers(H(handle_))) throw IoError("cannot sync", path_);
}

void File::Lock() {
  OVERLAPPED whole{};
  if (!LockFileEx(H(handle_), LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &whole)) {
    throw IoError("cannot lock", path_);
  }
}

void File::Close() {
  HANDLE h = H(handle_);
  handle_ = kNone;
  if (!CloseHandle(h)) throw IoError("cannot close", path_);
}

void RenameOver(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (!MoveFileExW(from.c_str(), to.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    DWORD error = GetLastError();
    throw Error::Io("cannot rename " + from.string() + " to " + to.string() + ": " + Reason(error));
  }
}

void SyncDirectory(const std::filesystem::path&) {}

void MakeOwnerOnly(const std::filesystem::path&) {}

// The SID of the user this process runs as.
std::vector<BYTE> ProcessUser() {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return {};
  DWORD size = 0;
  GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  std::vector<BYTE> buffer(size);
  bool ok = size > 0 && GetTokenInformation(token, TokenUser, buffer.data(), size, &size);
  CloseHandle(token);
  if (!ok) return {};
  auto* user = reinterpret_cast<TOKEN_USER*>(buffer.data());
  std::vector<BYTE> sid(GetLengthSid(user->User.Sid));
  CopySid(static_cast<DWORD>(sid.size()), sid.data(), user->User.Sid);
  return sid;
}

void RestrictFolder(const std::filesystem::path& dir) {
  if (KindOf(dir) == PathKind::kLink) {
    throw Error::Forbidden(dir.string() +
                           " is a link or junction; the agent's folder must be a "
                           "folder of its own: remove the link");
  }
  // Whoever owns the folder may change its ACL whatever it says: a folder
  // another user made beforehand is refused, not trusted.
  PSID owner = nullptr;
  PSECURITY_DESCRIPTOR current = nullptr;
  DWORD got = GetNamedSecurityInfoW(dir.c_str(), SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner,
                                    nullptr, nullptr, nullptr, &current);
  if (got != ERROR_SUCCESS) throw IoError("cannot read the owner of", dir, got);
  std::unique_ptr<void, LocalFreer> held_current(current);
  WellKnownSid system_sid(WinLocalSystemSid);
  WellKnownSid admins_sid(WinBuiltinAdministratorsSid);
  std::vector<BYTE> me = ProcessUser();
  if (owner != nullptr && !EqualSid(owner, system_sid) && !EqualSid(owner, admins_sid) &&
      (me.empty() || !EqualSid(owner, me.data()))) {
    throw Error::Forbidden(dir.string() +
                           " belongs to another user, who could change who may read it: "
                           "remove it (or take ownership as an administrator) and start again");
  }
  // P: not inherited from above; OICI: inherited by files and folders made in it;
  // FA: full access; SY: LocalSystem; BA: the Administrators group.
  SetProtectedAcl(dir, L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)");
}

void LetDropFolderUsersRead(const std::filesystem::path& path) {
  // P: not inherited; FA: full access for SY (LocalSystem) and BA (the
  // Administrators group); FR: reading for BU (the Users group).
  SetProtectedAcl(path, L"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;BU)");
}

bool OthersMayRead(const std::filesystem::path& path) {
  PSID owner = nullptr;
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  DWORD rc = GetNamedSecurityInfoW(path.c_str(), SE_FILE_OBJECT,
                                   OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner,
                                   nullptr, &dacl, nullptr, &descriptor);
  if (rc != ERROR_SUCCESS) throw IoError("cannot read the permissions of", path, rc);
  std::unique_ptr<void, LocalFreer> held(descriptor);
  if (dacl == nullptr) return true;  // no DACL: everyone may do anything
  WellKnownSid system_sid(WinLocalSystemSid);
  WellKnownSid admins_sid(WinBuiltinAdministratorsSid);
  constexpr ACCESS_MASK kReading = FILE_READ_DATA | GENERIC_READ | GENERIC_ALL;
  for (DWORD i = 0; i < dacl->AceCount; ++i) {
    void* ace = nullptr;
    if (!GetAce(dacl, i, &ace)) throw IoError("cannot read the permissions of", path);
    auto* header = static_cast<ACE_HEADER*>(ace);
    if (header->AceType != ACCESS_ALLOWED_ACE_TYPE) continue;
    auto* allowed = static_cast<ACCESS_ALLOWED_ACE*>(ace);
    if ((allowed->Mask & kReading) == 0) continue;
    PSID sid = &allowed->SidStart;
    if (EqualSid(sid, system_sid) || EqualSid(sid, admins_sid) ||
        (owner != nullptr && EqualSid(sid, owner))) {
      continue;
    }
    return true;
  }
  return false;
}

bool StderrIsTerminal() { return _isatty(_fileno(stderr)) != 0; }

bool StderrIsJournal() { return false; }

std::string Utf8(const std::filesystem::path& path) {
  std::u8string text = path.u8string();
  return std::string(text.begin(), text.end());
}

}  // namespace tributary::platform
