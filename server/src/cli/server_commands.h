// One function per server command; each returns the exit status and throws
// tributary::Error for the CLI boundary to report.
#pragma once

#include "config/server_config.h"
#include "enrol/server_identity.h"
#include "store/server_store.h"
#include "tributary/common/arguments.h"

namespace tributary::server {

// --config FILE (default /etc/tributary/server.toml), with --data-dir and
// other flags taking precedence.
ServerConfig ConfigFrom(const Arguments& args);
ServerPaths PathsFrom(const Arguments& args);
// The port of `listen` (ADDRESS:PORT). Throws Error(kInvalidArgument).
std::uint16_t ListenPort(const std::string& listen);
// Gives the store the server's audit key (keys/server_keys.h; made first in a
// data directory from before it), so the audit entries a command writes are
// keyed and keyed ones can be checked. Every command opening the store calls it.
void UseServerKeys(ServerStore& store, const ServerPaths& paths);
// A store migration's progress, shown on a terminal (nothing elsewhere).
ServerStore::MigrationProgress MigrationProgressOnTerminal();

int RunInit(const Arguments& args);
int RunToken(const Arguments& args);
int RunServe(const Arguments& args);
int RunPractices(const Arguments& args);
int RunAgents(const Arguments& args);
int RunCertificate(const Arguments& args);
int RunCa(const Arguments& args);
int RunOrgs(const Arguments& args);
int RunRollups(const Arguments& args);
int RunUser(const Arguments& args);
int RunReturns(const Arguments& args);
int RunPeriods(const Arguments& args);
int RunAudit(const Arguments& args);
int RunDictionary(const Arguments& args);
int RunBackup(const Arguments& args);
int RunRestore(const Arguments& args);
int RunPostgres(const Arguments& args);

}  // namespace tributary::server
