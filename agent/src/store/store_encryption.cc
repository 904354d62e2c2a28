#include "store/store_encryption.h"

#include <cstring>
#include <filesystem>

#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/log.h"
#include "tributary/common/platform_file.h"
#include "tributary/common/secret_file.h"
#include "tributary/common/sqlite.h"

namespace tributary::agent {
namespace fs = std::filesystem;
namespace {

constexpr const char* kKeyName = "store.key";

fs::path Beside(const fs::path& path, const char* suffix) { return path.string() + suffix; }

// Whether the file begins as every plain SQLite database does.
bool IsPlainSqlite(const fs::path& path) {
  std::optional<platform::File> file = platform::File::OpenForReadingNoFollow(path);
  if (!file) throw Error::Io("cannot open " + path.string() + ": it is a link");
  char header[16] = {0};
  std::size_t got = 0;
  while (got < sizeof header) {
    std::size_t n = file->Read(header + got, sizeof header - got);
    if (n == 0) break;
    got += n;
  }
  return got == 16 && std::memcmp(header, "SQLite format 3\0", 16) == 0;
}

bool HasContent(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec) && fs::file_size(path, ec) > 0;
}

void SyncFile(const fs::path& path) { platform::File::OpenToSync(path).Sync(); }

void RemoveIfThere(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) throw Error::Io("cannot remove " + path.string() + ": " + ec.message());
}

// Only the owner may read the store's files, whatever made them.
void MakeOwnerOnly(const fs::path& db) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    platform::MakeOwnerOnly(Beside(db, suffix));
  }
}

// A plain store encrypted in place: its WAL folded in, the whole copied
// encrypted to agent.db.encrypting (SQLCipher's sqlcipher_export), synced,
// and renamed over it. Until the rename the plain store is untouched.
void EncryptInPlace(const fs::path& db, const std::string& key_hex) {
  fs::path copy = Beside(db, ".encrypting");
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) RemoveIfThere(Beside(copy, suffix));
  if (!platform::File::CreateOwnerOnly(copy, /*exclusive=*/true)) {
    throw Error::Io("cannot create " + copy.string() + ": it is already there");
  }
  {
    sqlite::Database plain = sqlite::Database::Open(db);
    // Alone with it: a program that still has the plain store open (an
    // older agent not yet stopped) would go on writing to a file about to
    // be replaced. Each connection holds a shared lock while in WAL mode, so
    // an exclusive one is had only when no other is open.
    sqlite3_busy_timeout(plain.handle(), 2000);  // a program using it now is not a moment's wait
    try {
      plain.Exec("PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;");
    } catch (const Error&) {
      RemoveIfThere(copy);
      throw Error::Conflict(db.string() +
                            " is open in another program (an agent of an earlier version still "
                            "running?): stop it, then start this one; the store was left as it "
                            "was");
    }
    plain.Exec("PRAGMA wal_checkpoint(TRUNCATE);");
    auto attach = plain.Prepare("ATTACH DATABASE ? AS encrypted KEY ?");
    attach.Bind(1, copy.string()).Bind(2, "x'" + key_hex + "'");
    attach.Run();
    plain.Exec("SELECT sqlcipher_export('encrypted'); DETACH DATABASE encrypted;");
  }  // closed: SQLite folds the plain store's WAL into it and removes it
  if (HasContent(Beside(db, "-wal"))) {
    RemoveIfThere(copy);
    throw Error::Database(db.string() +
                          "-wal still holds changes after the store was closed (is another "
                          "program using it?); the store was left as it was");
  }
  SyncFile(copy);
  for (const char* suffix : {"-wal", "-shm"}) RemoveIfThere(Beside(db, suffix));
  platform::SyncDirectory(db.parent_path());  // no plain WAL may come back beside it
  platform::RenameOver(copy, db);
  platform::SyncDirectory(db.parent_path());
}

// The key: read, or made when there is neither key nor encrypted store.
// Called with agent.db.lock held, so two processes never make two keys.
std::string StoreKey(const AgentPaths& paths) {
  if (!secrets::Exists(paths.dir, kKeyName)) {
    if (HasContent(paths.Database()) && !IsPlainSqlite(paths.Database())) {
      throw Error::NotFound((paths.dir / kKeyName).string() + " is missing, and " +
                            paths.Database().string() +
                            " is encrypted with it: restore the key (or the credential store.key) "
                            "from where it was kept; without it the practice enrols again");
    }
    secrets::WriteNew(paths.dir, kKeyName, digest::RandomHex(32));
    log::Info("store_key_created", (paths.dir / kKeyName).string());
  }
  std::string key = secrets::Read(paths.dir, kKeyName, "it was just made");
  if (key.size() != 64 || key.find_first_not_of("0123456789abcdef") != std::string::npos) {
    throw Error::Corruption((paths.dir / kKeyName).string() +
                            " (or the credential store.key) is not 64 lower-case hex characters");
  }
  return key;
}

}  // namespace

std::string PrepareEncryptedStore(const AgentPaths& paths) {
  fs::path db = paths.Database();
  fs::path lock_path = Beside(db, ".lock");
  platform::File lock = platform::File::OpenLockFile(lock_path);
  lock.Lock();
  std::string key_hex = StoreKey(paths);
  if (HasContent(db) && IsPlainSqlite(db)) {
    log::Info("store_encrypting", db.string());
    EncryptInPlace(db, key_hex);
    log::Info("store_encrypted", db.string());
  }
  MakeOwnerOnly(db);
  return key_hex;
}

}  // namespace tributary::agent
