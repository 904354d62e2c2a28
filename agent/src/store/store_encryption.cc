#include "store/store_encryption.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/log.h"
#include "tributary/common/secret_file.h"
#include "tributary/common/sqlite.h"
#include "tributary/common/unique_fd.h"

namespace tributary::agent {
namespace fs = std::filesystem;
namespace {

constexpr const char* kKeyName = "store.key";

fs::path Beside(const fs::path& path, const char* suffix) { return path.string() + suffix; }

// Whether the file begins as every plain SQLite database does.
bool IsPlainSqlite(const fs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) throw Error::Io("cannot open " + path.string() + ": " + std::strerror(errno));
  char header[16] = {0};
  ssize_t n = ::read(fd.get(), header, sizeof header);
  return n == 16 && std::memcmp(header, "SQLite format 3\0", 16) == 0;
}

bool HasContent(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec) && fs::file_size(path, ec) > 0;
}

void SyncFile(const fs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    throw Error::Io("cannot sync " + path.string() + ": " + std::strerror(errno));
  }
}

void RemoveIfThere(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) throw Error::Io("cannot remove " + path.string() + ": " + ec.message());
}

// Only the owner may read the store's files, whatever made them.
void MakeOwnerOnly(const fs::path& db) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::path file = Beside(db, suffix);
    struct stat st {};
    if (::lstat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        (st.st_mode & (S_IRWXG | S_IRWXO)) != 0 && ::chmod(file.c_str(), 0600) != 0) {
      throw Error::Io("cannot chmod " + file.string() + ": " + std::strerror(errno));
    }
  }
}

// A plain store encrypted in place: its WAL folded in, the whole copied
// encrypted to agent.db.encrypting (SQLCipher's sqlcipher_export), synced,
// and renamed over it. Until the rename the plain store is untouched.
void EncryptInPlace(const fs::path& db, const std::string& key_hex) {
  fs::path copy = Beside(db, ".encrypting");
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) RemoveIfThere(Beside(copy, suffix));
  {
    UniqueFd made(::open(copy.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (made.get() < 0 || ::fchmod(made.get(), 0600) != 0) {
      throw Error::Io("cannot create " + copy.string() + ": " + std::strerror(errno));
    }
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
  SyncFile(db.parent_path());  // no plain WAL may come back beside the encrypted store
  std::error_code ec;
  fs::rename(copy, db, ec);
  if (ec)
    throw Error::Io("cannot rename " + copy.string() + " to " + db.string() + ": " + ec.message());
  SyncFile(db.parent_path());
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
  UniqueFd lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (lock.get() < 0 || ::flock(lock.get(), LOCK_EX) != 0) {
    throw Error::Io("cannot lock " + lock_path.string() + ": " + std::strerror(errno));
  }
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
