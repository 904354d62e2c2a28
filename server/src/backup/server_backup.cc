#include "backup/server_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <map>
#include <vector>

#include "backup/backup_archive.h"
#include "database/connection.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/hlc.h"
#include "tributary/common/pki.h"
#include "tributary/common/sqlite.h"
#include "tributary/common/unique_fd.h"

namespace tributary::server {
namespace {

constexpr const char* kManifest = "manifest.json";
constexpr int kManifestFormat = 1;
constexpr const char* kStoreCopy = "server.db";
// The files a backup may hold, besides the manifest; the CA key last, so a
// directory being filled is not taken for an initialised one.
// oprf.key: a backup from before person keys were made with it has none.
// ca-next.* and ca-previous.pem: during and after a CA rollover.
const std::vector<std::string> kDataFiles = {
    "ca.pem",      "server.pem", "server.key", "store.url",   "server.db",   "oprf.key",
    "signing.key", "audit.key",  "ca.key",     "ca-next.pem", "ca-next.key", "ca-previous.pem"};

const char* EngineName(db::Engine engine) {
  return engine == db::Engine::kSqlite ? "sqlite" : "postgresql";
}

// Removes a file or directory tree when it goes, unless kept.
class Leftover {
 public:
  explicit Leftover(std::filesystem::path path) : path_(std::move(path)) {}
  ~Leftover() {
    if (!path_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(path_, ec);
    }
  }
  Leftover(const Leftover&) = delete;
  Leftover& operator=(const Leftover&) = delete;
  void Keep() { path_.clear(); }

 private:
  std::filesystem::path path_;
};

void SyncDirectory(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid() || ::fsync(fd.get()) != 0) {
    throw Error::Io("cannot sync directory " + dir.string());
  }
}

// The store's own record of its owner and schema.
struct StoreFacts {
  std::optional<std::string> ca_sha256;
  std::string schema_version;
};

StoreFacts ReadFacts(db::Connection& db) {
  StoreFacts facts;
  if (!db.HasColumn("settings", "value")) return facts;  // an empty database
  auto stmt =
      db.Prepare("SELECT key, value FROM settings WHERE key IN ('ca_sha256', 'schema_version')");
  while (stmt.Step()) {
    if (stmt.ColumnText(0) == "ca_sha256") {
      facts.ca_sha256 = stmt.ColumnText(1);
    } else {
      facts.schema_version = stmt.ColumnText(1);
    }
  }
  return facts;
}

StoreFacts ReadFacts(const db::StoreLocation& where) {
  std::unique_ptr<db::Connection> db = db::Open(where, 2048);
  return ReadFacts(*db);
}

// A consistent copy of the SQLite store at `to`, taken with SQLite's online
// backup API: it reads one snapshot while `serve` goes on writing (WAL).
void CopySqliteStore(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (!std::filesystem::exists(from)) {
    throw Error::NotFound("the store " + from.string() + " does not exist");
  }
  sqlite::Database source = sqlite::Database::Open(from);
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(to.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> copy(raw, sqlite3_close_v2);
  if (rc != SQLITE_OK) {
    throw Error::Io("cannot create " + to.string() + ": " + sqlite3_errstr(rc));
  }
  sqlite3_backup* backup = sqlite3_backup_init(copy.get(), "main", source.handle(), "main");
  if (backup == nullptr) {
    throw Error::Database("cannot start the backup of " + from.string() + ": " +
                          sqlite3_errmsg(copy.get()));
  }
  // All pages in one step: one read snapshot. A writer holding the lock
  // for a moment gives BUSY or LOCKED; the busy timeout and these retries
  // wait for it.
  do {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    throw Error::Database("cannot back up " + from.string() + ": " + sqlite3_errstr(rc));
  }
}

void CheckSqliteCopy(const std::filesystem::path& file, const std::string& what) {
  sqlite::Database db = sqlite::Database::Open(file);
  auto stmt = db.Prepare("PRAGMA integrity_check");
  std::string result = stmt.Step() ? stmt.ColumnText(0) : "no answer";
  if (result != "ok") {
    throw Error::Corruption(what + " fails SQLite's integrity check: " + result);
  }
}

std::string Manifest(const BackupSummary& s, const std::vector<std::string>& files) {
  boost::json::array names;
  for (const auto& f : files) names.emplace_back(f);
  boost::json::object o{{"format", kManifestFormat},
                        {"created", s.created},
                        {"server_version", TRIBUTARY_VERSION},
                        {"engine", s.engine},
                        {"store", s.store},
                        {"ca_sha256", s.ca_sha256},
                        {"schema_version", s.schema_version},
                        {"store_bytes", s.store_bytes},
                        {"files", names}};
  return boost::json::serialize(o);
}

BackupSummary ParseManifest(const std::string& text, const std::filesystem::path& from) {
  auto bad = [&](const std::string& why) {
    return Error::InvalidInput(from.string() + ": manifest: " + why);
  };
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) throw bad("not a JSON object");
  const auto& o = v.as_object();
  auto text_of = [&](const char* key) {
    const auto* field = o.if_contains(key);
    if (!field || !field->is_string()) throw bad(std::string("'") + key + "' is missing");
    return std::string(field->as_string());
  };
  const auto* format = o.if_contains("format");
  if (!format || !format->is_int64() || format->as_int64() != kManifestFormat) {
    throw bad("format is not " + std::to_string(kManifestFormat));
  }
  BackupSummary s;
  s.created = text_of("created");
  s.engine = text_of("engine");
  s.store = text_of("store");
  s.ca_sha256 = text_of("ca_sha256");
  s.schema_version = text_of("schema_version");
  if (const auto* bytes = o.if_contains("store_bytes"); bytes && bytes->is_int64()) {
    s.store_bytes = static_cast<std::uint64_t>(bytes->as_int64());
  }
  if (s.engine != "sqlite" && s.engine != "postgresql") throw bad("unknown engine " + s.engine);
  return s;
}

// The store must be the CA's: the one whose agents the backup's keys enrolled.
void RequireOwner(const StoreFacts& facts, const std::string& ca_sha256, const std::string& what) {
  if (!facts.ca_sha256) {
    throw Error::NotFound(what + " holds no Tributary store");
  }
  if (*facts.ca_sha256 != ca_sha256) {
    throw Error::Conflict(what + " belongs to another server (CA sha256 " + *facts.ca_sha256 +
                          "), not to this one's CA (" + ca_sha256 + ")");
  }
}

bool IsEmptyDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_directory(dir, ec) && std::filesystem::is_empty(dir, ec) && !ec;
}

}  // namespace

BackupSummary BackUp(const ServerPaths& paths, const std::filesystem::path& to,
                     std::string_view passphrase) {
  pki::Authority ca = LoadAuthority(paths);
  db::StoreLocation where = paths.Store();
  BackupSummary summary;
  summary.created = FormatUtc(SystemClock().NowMillis());
  summary.engine = EngineName(where.engine());
  summary.store = where.ToString();
  summary.ca_sha256 = pki::ReadCertificate(ca.certificate_pem).sha256_hex;

  std::vector<std::string> files = {"ca.pem", "server.pem", "server.key", "ca.key"};
  if (std::filesystem::exists(paths.StoreUrlFile())) files.push_back("store.url");
  // Without it no agent could key a person as before: the ICS's headcounts
  // would count everyone twice. (A key given as a systemd credential is kept
  // by whoever keeps the credential.)
  for (const char* secret :
       {"oprf.key", "signing.key", "audit.key", "ca-next.pem", "ca-next.key", "ca-previous.pem"}) {
    if (std::filesystem::exists(paths.dir / secret)) files.push_back(secret);
  }
  std::filesystem::path copy = to.string() + ".store";
  Leftover copy_guard(copy);
  StoreFacts facts;
  if (where.engine() == db::Engine::kSqlite) {
    std::filesystem::remove(copy);
    CopySqliteStore(where.sqlite_file(), copy);
    CheckSqliteCopy(copy, "the copy of " + where.ToString());
    facts = ReadFacts(db::StoreLocation(copy));
    summary.store_bytes = std::filesystem::file_size(copy);
    files.push_back(kStoreCopy);
  } else {
    facts = ReadFacts(where);
  }
  RequireOwner(facts, summary.ca_sha256, "the store " + where.ToString());
  summary.schema_version = facts.schema_version;

  BackupWriter writer(to, passphrase);
  writer.Add(kManifest, Manifest(summary, files));
  for (const auto& name : kDataFiles) {
    if (std::find(files.begin(), files.end(), name) == files.end()) continue;
    if (name == kStoreCopy) {
      writer.AddFile(name, copy);
    } else {
      writer.Add(name, files::Read(paths.dir / name));
    }
  }
  writer.Finish();
  files::WriteAtomic(paths.LastBackupFile(), summary.created + " " + to.string() + "\n");
  return summary;
}

BackupSummary Restore(const std::filesystem::path& from, std::string_view passphrase,
                      const std::filesystem::path& dir, const std::optional<std::string>& store) {
  bool dir_exists = std::filesystem::exists(dir);
  if (dir_exists && !IsEmptyDirectory(dir)) {
    throw Error::AlreadyExists(dir.string() +
                               " is not empty: restore makes a new data directory (move the "
                               "old one aside first)");
  }
  BackupReader reader(from, passphrase);
  std::optional<BackupReader::Entry> first = reader.Next();
  if (!first || first->name != kManifest) {
    throw Error::InvalidInput(from.string() + ": the manifest is missing");
  }
  BackupSummary summary = ParseManifest(reader.ReadContent(*first), from);
  if (store && summary.engine != "postgresql") {
    throw Error::InvalidArgument("--store is for a PostgreSQL backup; " + from.string() +
                                 " holds an SQLite store");
  }

  // Filled beside the directory (or inside an existing empty one) and only
  // then put in place: the directory appears whole or not at all.
  std::filesystem::path staging =
      dir_exists ? dir / ".restoring"
                 : dir.parent_path() / (dir.filename().string() + ".restoring");
  std::error_code ec;
  std::filesystem::remove_all(staging, ec);
  std::filesystem::create_directories(staging, ec);
  if (ec) throw Error::Io("cannot create " + staging.string() + ": " + ec.message());
  Leftover staging_guard(staging);
  ::chmod(staging.c_str(), 0700);
  std::vector<std::string> held;
  while (std::optional<BackupReader::Entry> entry = reader.Next()) {
    if (std::find(kDataFiles.begin(), kDataFiles.end(), entry->name) == kDataFiles.end() ||
        std::find(held.begin(), held.end(), entry->name) != held.end()) {
      throw Error::InvalidInput(from.string() + ": unexpected entry '" + entry->name + "'");
    }
    reader.CopyContentTo(*entry, staging / entry->name);
    held.push_back(entry->name);
  }
  for (const char* needed : {"ca.pem", "ca.key", "server.pem", "server.key"}) {
    if (std::find(held.begin(), held.end(), needed) == held.end()) {
      throw Error::InvalidInput(from.string() + ": " + needed + " is missing");
    }
  }
  for (const char* certificate : {"ca.pem", "server.pem", "ca-next.pem", "ca-previous.pem"}) {
    if (std::filesystem::exists(staging / certificate)) {  // public, as init makes them
      ::chmod((staging / certificate).c_str(), 0644);
    }
  }
  std::string fingerprint = pki::ReadCertificate(files::Read(staging / "ca.pem")).sha256_hex;
  if (fingerprint != summary.ca_sha256) {
    throw Error::InvalidInput(from.string() +
                              ": its CA certificate is not the one its manifest "
                              "names");
  }

  if (summary.engine == "sqlite") {
    if (std::find(held.begin(), held.end(), kStoreCopy) == held.end()) {
      throw Error::InvalidInput(from.string() + ": the SQLite store is missing");
    }
    CheckSqliteCopy(staging / kStoreCopy, from.string() + "'s store");
    RequireOwner(ReadFacts(db::StoreLocation(staging / kStoreCopy)), summary.ca_sha256,
                 from.string() + "'s store");
    summary.store = (dir / kStoreCopy).string();
  } else {
    std::string url;
    if (store) {
      db::StoreLocation chosen = db::StoreLocation::Parse(*store);
      if (chosen.engine() != db::Engine::kPostgres) {
        throw Error::InvalidArgument("--store takes a postgresql:// URL");
      }
      url = chosen.conninfo();
      files::WriteAtomic(staging / "store.url", url);
    } else {
      url = files::Read(staging / "store.url");
    }
    db::StoreLocation where = db::StoreLocation::Parse(url);
    StoreFacts facts = ReadFacts(where);
    if (!facts.ca_sha256) {
      throw Error::NotFound("the database " + where.ToString() +
                            " holds no Tributary store: restore it with pg_restore first "
                            "(docs/operations.md \"Backup and restore\")");
    }
    RequireOwner(facts, summary.ca_sha256, "the database " + where.ToString());
    summary.store = where.ToString();
  }

  if (dir_exists) {
    for (const auto& name : kDataFiles) {  // ca.key last
      if (!std::filesystem::exists(staging / name)) continue;
      std::filesystem::rename(staging / name, dir / name, ec);
      if (ec)
        throw Error::Io("cannot move " + name + " into " + dir.string() + ": " + ec.message());
    }
  } else {
    std::filesystem::rename(staging, dir, ec);
    if (ec) throw Error::Io("cannot create " + dir.string() + ": " + ec.message());
    staging_guard.Keep();
  }
  SyncDirectory(dir);
  SyncDirectory(dir.parent_path().empty() ? "." : dir.parent_path());
  return summary;
}

}  // namespace tributary::server
