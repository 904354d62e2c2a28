// The PostgreSQL the tests run against, when they do. CTest runs the
// server's store, API and integration suites twice: on SQLite, and with
// TRIBUTARY_TEST_POSTGRES naming the file in which the test cluster
// (tests/support/test_postgres.sh, started and stopped by CTest fixtures)
// wrote its URL.
#pragma once

#include <filesystem>
#include <string>

namespace tributary::testing {

// Whether this run's stores are PostgreSQL ones.
bool TestsUsePostgres();

// A store of its own for the test that owns `dir`: a schema in the test
// cluster's database named after `dir`, so a store opened again at the same
// `dir` is the same store. Throws std::runtime_error when the cluster
// cannot be used or the tests do not use PostgreSQL.
std::string TestPostgresUrl(const std::filesystem::path& dir);

}  // namespace tributary::testing
