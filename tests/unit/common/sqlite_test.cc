#include "tributary/common/sqlite.h"

#include <catch2/catch.hpp>

#include "temp_dir.h"
#include "tributary/common/error.h"

using namespace tributary;

TEST_CASE("sqlite: a transaction not committed is rolled back") {
  testing::TempDir dir;
  auto db = sqlite::Database::Open(dir.path() / "t.db");
  db.Exec("CREATE TABLE t (x INTEGER)");
  {
    sqlite::Transaction txn(db);
    db.Exec("INSERT INTO t VALUES (1)");
  }
  auto count = db.Prepare("SELECT count(*) FROM t");
  REQUIRE(count.Step());
  CHECK(count.ColumnInt(0) == 0);
}

TEST_CASE("sqlite: a committed transaction is visible to a new connection") {
  testing::TempDir dir;
  {
    auto db = sqlite::Database::Open(dir.path() / "t.db");
    db.Exec("CREATE TABLE t (x TEXT)");
    sqlite::Transaction txn(db);
    auto insert = db.Prepare("INSERT INTO t VALUES (?)");
    insert.Bind(1, std::string_view("kept"));
    insert.Run();
    txn.Commit();
  }
  auto db = sqlite::Database::Open(dir.path() / "t.db");
  auto read = db.Prepare("SELECT x FROM t");
  REQUIRE(read.Step());
  CHECK(read.ColumnText(0) == "kept");
}

TEST_CASE("sqlite: a read transaction sees one moment, and the next reading sees later writes") {
  testing::TempDir dir;
  auto reader = sqlite::Database::Open(dir.path() / "t.db");
  reader.Exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)");
  auto writer = sqlite::Database::Open(dir.path() / "t.db");
  auto count = [&reader] {
    auto stmt = reader.Prepare("SELECT count(*) FROM t");
    REQUIRE(stmt.Step());
    return stmt.ColumnInt(0);
  };
  {
    sqlite::ReadTransaction snapshot(reader);
    CHECK(count() == 1);
    writer.Exec("INSERT INTO t VALUES (2)");  // a reader does not block a writer
    CHECK(count() == 1);
  }
  CHECK(count() == 2);
  {
    sqlite::ReadTransaction again(reader);  // the first one ended
    CHECK(count() == 2);
  }
}

TEST_CASE("sqlite: the store runs in WAL mode with synchronous=FULL") {
  testing::TempDir dir;
  auto db = sqlite::Database::Open(dir.path() / "t.db");
  auto mode = db.Prepare("PRAGMA journal_mode");
  REQUIRE(mode.Step());
  CHECK(mode.ColumnText(0) == "wal");
  auto sync = db.Prepare("PRAGMA synchronous");
  REQUIRE(sync.Step());
  CHECK(sync.ColumnInt(0) == 2);  // FULL
}

TEST_CASE("sqlite: errors name the statement and SQLite's reason") {
  testing::TempDir dir;
  auto db = sqlite::Database::Open(dir.path() / "t.db");
  try {
    db.Prepare("SELECT * FROM missing_table");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kDatabase);
    CHECK(std::string(e.what()).find("missing_table") != std::string::npos);
  }
}

TEST_CASE("sqlite: NULL, integers, doubles and blobs round-trip") {
  testing::TempDir dir;
  auto db = sqlite::Database::Open(dir.path() / "t.db");
  db.Exec("CREATE TABLE t (a, b, c, d)");
  auto insert = db.Prepare("INSERT INTO t VALUES (?, ?, ?, ?)");
  insert.BindNull(1).Bind(2, std::int64_t{1} << 60).Bind(3, 2.5);
  insert.BindBlob(4, std::string_view("\0x\0", 3));
  insert.Run();
  auto read = db.Prepare("SELECT a, b, c, d FROM t");
  REQUIRE(read.Step());
  CHECK(read.ColumnIsNull(0));
  CHECK(read.ColumnInt(1) == std::int64_t{1} << 60);
  CHECK(read.ColumnDouble(2) == 2.5);
  CHECK(read.ColumnBlob(3) == std::string("\0x\0", 3));
}
