// A backup file: named files sealed under a passphrase (docs/operations.md
// "Backup and restore").
//
// Layout: a 76-byte header ("TRIBUTARY-BACKUP", format 1, the Argon2id
// cost and salt the key is derived with, the XChaCha20-Poly1305
// secretstream header), then sealed frames (a 4-byte length and up to 64 KiB
// of ciphertext). The plaintext is a run of entries (2-byte name length,
// name, 8-byte size, content) closed by an empty name, and its last frame is
// tagged final. The header is authenticated with the first frame, so a
// changed cost, a changed byte anywhere, a reordered, dropped or cut frame,
// and a wrong passphrase are all told apart from a good file, and nothing
// of a damaged one is trusted.
//
// libsodium does the cryptography (docs/decisions.md "Backups"). Neither
// class is thread-safe. Failures throw tributary::Error: kIo for the file,
// kInvalidInput for a file that is not a backup, a wrong passphrase or
// damage, kCrypto when libsodium cannot start.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/common/unique_fd.h"

namespace tributary::server {

// Passphrases shorter than this are refused: the key is only as strong.
inline constexpr std::size_t kMinimumPassphraseLength = 12;

class SealedFile;  // the frames, in backup_archive.cc

// Writes a new backup at `path`: to a temporary file beside it, renamed over
// `path` (mode 0600) and synced by Finish(), so `path` is never a partial
// backup. Destroyed before Finish(), the temporary file is removed.
class BackupWriter {
 public:
  BackupWriter(const std::filesystem::path& path, std::string_view passphrase);
  ~BackupWriter();
  BackupWriter(const BackupWriter&) = delete;
  BackupWriter& operator=(const BackupWriter&) = delete;

  void Add(const std::string& name, std::string_view content);
  // Streams `file` in without reading it whole (the SQLite store).
  void AddFile(const std::string& name, const std::filesystem::path& file);
  void Finish();

 private:
  std::filesystem::path path_;
  std::filesystem::path partial_;
  std::unique_ptr<SealedFile> sealed_;
  bool finished_ = false;
};

// Reads a backup entry by entry, checking each frame as it goes.
class BackupReader {
 public:
  struct Entry {
    std::string name;
    std::uint64_t size = 0;
  };

  BackupReader(const std::filesystem::path& path, std::string_view passphrase);
  ~BackupReader();
  BackupReader(const BackupReader&) = delete;
  BackupReader& operator=(const BackupReader&) = delete;

  // The next entry, or nullopt after the last (the file then must end).
  // Its content must be read with ReadContent or CopyContentTo first.
  std::optional<Entry> Next();
  std::string ReadContent(const Entry& entry);
  // Writes the content to a new file `to` (mode 0600), synced.
  void CopyContentTo(const Entry& entry, const std::filesystem::path& to);

 private:
  std::filesystem::path path_;
  std::unique_ptr<SealedFile> sealed_;
};

}  // namespace tributary::server
