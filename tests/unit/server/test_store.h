// The store a server test uses: an SQLite file in the test's directory, or,
// in the suite's PostgreSQL run (tests/support/test_postgres.h), a schema of
// its own in the test cluster. The same `dir` gives the same store.
#pragma once

#include <memory>

#include "database/store_location.h"
#include "temp_dir.h"
#include "test_postgres.h"
#include "test_store.h"

namespace tributary::testing {

inline server::db::StoreLocation TestStore(const TempDir& dir) {
  if (TestsUsePostgres()) {
    return server::db::StoreLocation::Parse(TestPostgresUrl(dir.path()));
  }
  return dir.path() / "server.db";
}

// A second connection to the test's store, for a test that reads or
// tampers with its tables behind the store's back.
inline std::unique_ptr<server::db::Connection> OpenTestStore(const TempDir& dir) {
  return server::db::Open(TestStore(dir), 2048);
}

}  // namespace tributary::testing
