// `backup --to FILE` and `restore --from FILE --data-dir DIR`: the server's
// keys and store sealed under a passphrase, and a new data directory made
// from them (backup/server_backup.h).
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "backup/server_backup.h"
#include "cli/server_commands.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/run_as_owner.h"

namespace tributary::server {
namespace {

constexpr const char* kPassphraseVariable = "TRIBUTARY_BACKUP_PASSPHRASE";

// --passphrase-file FILE (its first line), else the environment.
std::string Passphrase(const Arguments& args) {
  if (auto file = args.Get("passphrase-file")) {
    std::string text = files::Read(*file);
    std::string line = text.substr(0, text.find('\n'));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) throw Error::InvalidInput(*file + ":1: the passphrase is empty");
    return line;
  }
  if (const char* value = std::getenv(kPassphraseVariable); value && *value) return value;
  throw Error::InvalidArgument(std::string("the backup passphrase is needed: --passphrase-file "
                                           "FILE or the environment variable ") +
                               kPassphraseVariable);
}

void Print(const BackupSummary& s, const std::string& verb, const std::string& file, bool json) {
  if (json) {
    boost::json::object o{{"file", file},
                          {"created", s.created},
                          {"engine", s.engine},
                          {"store", s.store},
                          {"store_bytes", s.store_bytes},
                          {"schema_version", s.schema_version},
                          {"ca_sha256", s.ca_sha256}};
    std::cout << boost::json::serialize(o) << "\n";
    return;
  }
  std::printf("%s\nbackup of:  %s\nstore:      %s %s", verb.c_str(), s.created.c_str(),
              s.engine.c_str(), s.store.c_str());
  if (s.engine == "sqlite") {
    std::printf(" (%llu bytes, schema %s)", static_cast<unsigned long long>(s.store_bytes),
                s.schema_version.c_str());
  }
  std::printf("\nca-sha256:  %s\n", s.ca_sha256.c_str());
}

}  // namespace

int RunBackup(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "to", "passphrase-file", "json"});
  std::filesystem::path to = args.Require("to");
  std::string passphrase = Passphrase(args);
  ServerPaths paths = PathsFrom(args);
  BackupSummary summary = BackUp(paths, to, passphrase);
  Print(summary, "backed up " + paths.dir.string() + " to " + to.string(), to.string(),
        args.Has("json"));
  if (summary.engine == "postgresql" && !args.Has("json")) {
    std::printf(
        "\nThe keys only: back up the database itself beside them, e.g.\n"
        "  pg_dump --format=custom --file %s.pgdump \"$(cat %s)\"\n",
        to.c_str(), paths.StoreUrlFile().c_str());
  }
  return kExitOk;
}

int RunRestore(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "from", "passphrase-file", "store", "json"});
  std::filesystem::path from = args.Require("from");
  std::filesystem::path dir = args.Require("data-dir");
  std::string passphrase = Passphrase(args);
  // Files made as root in the service's directory must stay the service's.
  RunAsOwnerOf(std::filesystem::exists(dir) ? dir : dir.parent_path());
  BackupSummary summary = Restore(from, passphrase, dir, args.Get("store"));
  Print(summary, "restored " + dir.string() + " from " + from.string(), from.string(),
        args.Has("json"));
  return kExitOk;
}

}  // namespace tributary::server
