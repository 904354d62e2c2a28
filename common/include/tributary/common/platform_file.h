// The operating system's files, as the rest of the code needs them: opened
// without following links, made for the owner alone, synced to disk, renamed
// atomically, locked. One implementation per platform, chosen by the build:
// POSIX (common/src/platform/posix_file.cc) and Windows
// (common/src/platform/windows_file.cc). Nothing else in the tree calls
// open(2) or CreateFileW for these jobs.
//
// Errors: every failure throws Error(kIo) naming the path and the operating
// system's reason. Thread-safety: a File is used by one thread at a time;
// the free functions are safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace tributary::platform {

// What a path names, looking at the path itself: a symbolic link (on Windows
// any reparse point: a symbolic link or a junction) is kLink, never what it
// points to.
enum class PathKind { kMissing, kRegular, kDirectory, kLink, kOther };
PathKind KindOf(const std::filesystem::path& path);

// An open file. Owns its handle and closes it on destruction (errors there
// are not reported: call Close() to hear of them). Move-only.
class File {
 public:
  // Opens an existing file for reading without following a final link:
  // nullopt when the path is a link. POSIX: O_NOFOLLOW | O_NONBLOCK (a pipe
  // put in the file's place does not block the open). Windows:
  // FILE_FLAG_OPEN_REPARSE_POINT, shared for reading and writing.
  static std::optional<File> OpenForReadingNoFollow(const std::filesystem::path& path);
  // Creates the file, readable and writable by its owner alone whatever the
  // umask (POSIX 0600; Windows: the folder's inherited ACL, which the agent's
  // data folder limits to SYSTEM and Administrators). `exclusive`: fails with
  // nullopt if the path exists; otherwise an existing file is truncated.
  // Never through a link.
  static std::optional<File> CreateOwnerOnly(const std::filesystem::path& path, bool exclusive);
  // Opens an existing file to Sync() it, never through a link (Windows'
  // FlushFileBuffers needs the file open for writing; nothing is written).
  static File OpenToSync(const std::filesystem::path& path);
  // Opens (creating if need be, owner-only) a file used as a lock; see Lock().
  static File OpenLockFile(const std::filesystem::path& path);

  File(File&& other) noexcept;
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();

  // What the open file is (fstat / GetFileInformationByHandle).
  PathKind Kind() const;
  std::uint64_t Size() const;
  // Reads up to `size` bytes; 0 at the end of the file.
  std::size_t Read(char* buffer, std::size_t size);
  void WriteAll(std::string_view data);
  // Sets the file's permission bits (fchmod); on Windows the file keeps the
  // ACL it inherited from its folder.
  void SetPermissions(std::filesystem::perms mode);
  // Makes the content durable (fsync / FlushFileBuffers).
  void Sync();
  // Blocks until this process holds the file's exclusive lock (flock /
  // LockFileEx); released when the File is closed or the process ends.
  void Lock();
  // Closes now, reporting a failure (a deferred write error).
  void Close();

  const std::filesystem::path& path() const { return path_; }

 private:
  File(std::intptr_t handle, std::filesystem::path path);
  std::intptr_t handle_;  // a POSIX descriptor or a Windows HANDLE
  std::filesystem::path path_;
};

// Renames `from` over `to` atomically: a reader sees the old file or the new,
// never neither (rename(2) / MoveFileExW with MOVEFILE_REPLACE_EXISTING |
// MOVEFILE_WRITE_THROUGH).
void RenameOver(const std::filesystem::path& from, const std::filesystem::path& to);

// Makes a folder's entries durable after a create or rename: fsync of the
// folder on POSIX; on Windows NTFS journals them and MOVEFILE_WRITE_THROUGH
// has waited for the rename, so there is nothing more to do.
void SyncDirectory(const std::filesystem::path& dir);

// Limits an existing file to its owner (chmod 0600); on Windows it keeps the
// ACL it inherited from its folder.
void MakeOwnerOnly(const std::filesystem::path& path);

// Lets the people who may save files in the drop folder read `path`, a
// file the agent wrote there (why their file was refused): on POSIX the
// folder's group (it is setgid, so the file has the folder's group) may read
// it, 0640; on Windows a protected ACL: SYSTEM and Administrators in full,
// the Users group reading. Nothing else is widened.
void LetDropFolderUsersRead(const std::filesystem::path& path);

// Limits a folder to its owner: chmod 0700 on POSIX; on Windows a protected
// ACL granting only SYSTEM and Administrators, inherited by everything made
// in it (the agent runs as the LocalSystem service; an administrator runs its
// commands).
void RestrictFolder(const std::filesystem::path& dir);

// Whether anyone but the file's owner may read it: group or other
// permission bits on POSIX; on Windows an ACL entry allowing reading to
// anyone but SYSTEM, Administrators and the file's owner.
bool OthersMayRead(const std::filesystem::path& path);

// Whether standard error is a terminal (a person is watching).
bool StderrIsTerminal();
// Whether standard error is systemd's journal (JOURNAL_STREAM names its
// device and inode); never on Windows.
bool StderrIsJournal();

// The path as UTF-8 (what SQLite and the logs take), whatever the platform's
// own encoding of paths.
std::string Utf8(const std::filesystem::path& path);

}  // namespace tributary::platform
