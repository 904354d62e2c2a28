// The one way a command opens the server's store: on the system clock,
// migrating an older store with its progress shown on a terminal, and with
// the server's audit key in use, so what the command writes is audited
// keyed (keys/server_keys.h). The caller checks the data directory first
// (LoadAuthority or RequireInitialised: "run init first").
//
// Throws tributary::Error as ServerStore's constructor and UseServerKeys do.
// Not thread-safe to construct; the store it holds is.
#pragma once

#include "enrol/server_identity.h"
#include "store/server_store.h"
#include "tributary/common/hlc.h"

namespace tributary::server {

class CommandStore {
 public:
  explicit CommandStore(const ServerPaths& paths);
  CommandStore(const CommandStore&) = delete;
  CommandStore& operator=(const CommandStore&) = delete;

  ServerStore& store() { return store_; }
  const Clock& clock() const { return clock_; }

 private:
  SystemClock clock_;
  ServerStore store_;
};

}  // namespace tributary::server
