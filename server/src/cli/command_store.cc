#include "cli/command_store.h"

#include "cli/server_commands.h"

namespace tributary::server {

CommandStore::CommandStore(const ServerPaths& paths)
    : store_(paths.Store(), clock_, MigrationProgressOnTerminal()) {
  UseServerKeys(store_, paths);
}

}  // namespace tributary::server
