// People's access has a lifecycle: a token works until it expires or is
// revoked, and then gets 401 at once; every grant and revocation is in the
// audit chain.
#include "audit/audit_service.h"
#include "periods/period_service.h"
#include "returns/return_service.h"
#include "returns_fixture.h"
#include "store/settings.h"
#include "test_store.h"
#include "tributary/common/sqlite.h"
#include "users/user_service.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;

TEST_CASE("users: a token is refused from the moment it expires") {
  ReturnsFixture f;
  User kim{"u-kim", "Kim", Role::kIcsAnalyst, "QT1"};
  kim.expires_at_ms = f.clock.NowMillis() + 3'600'000;
  UserService(f.store).Add(kim, digest::Sha256Hex("kim"), "operator");
  CHECK(f.Call("kim", "GET", "/v1/periods").status == 200);
  f.clock.Advance(3'599'999);
  CHECK(f.Call("kim", "GET", "/v1/periods").status == 200);
  f.clock.Advance(1);
  HttpResponse expired = f.Call("kim", "GET", "/v1/periods");
  CHECK(expired.status == 401);
  CHECK(ErrorCodeOf(expired) == "unauthorized");
  // Still listed, as expired, for the operator.
  bool listed = false;
  for (const User& u : UserService(f.store).All()) {
    if (u.user_id == "u-kim") {
      listed = true;
      CHECK(u.expires_at_ms == f.clock.NowMillis());
      CHECK(u.revoked_at_ms == 0);
    }
  }
  CHECK(listed);
}

TEST_CASE("users: a revoked token is refused at once, and the revocation is audited") {
  ReturnsFixture f;
  std::int64_t entries = AuditService(f.store).Count();
  CHECK(f.Call("pat", "GET", "/v1/returns?period=2026-08").status == 200);
  UserService(f.store).Revoke("u-pat", "operator");
  CHECK(f.Call("pat", "GET", "/v1/returns?period=2026-08").status == 401);
  CHECK(f.Approve("pat", "T01100", 1).status == 401);
  CHECK(f.Call("sam", "GET", "/v1/returns?period=2026-08").status == 200);  // others unaffected
  CHECK(AuditService(f.store).Count() == entries + 1);
  CHECK_FALSE(AuditService(f.store).FirstBrokenEntry());
  // Revoking twice, or someone unknown, is refused and changes nothing.
  CHECK_THROWS_WITH(UserService(f.store).Revoke("u-pat", "operator"),
                    Catch::Contains("no user u-pat"));
  CHECK_THROWS_WITH(UserService(f.store).Revoke("u-nobody", "operator"),
                    Catch::Contains("no user u-nobody"));
  CHECK(AuditService(f.store).Count() == entries + 1);
}

TEST_CASE("users: a stored role that cannot be read fails loudly instead of granting a guess") {
  ReturnsFixture f;
  {
    auto db = tributary::testing::OpenTestStore(f.dir);
    db->Exec("UPDATE users SET role = 'superuser' WHERE user_id = 'u-ian'");
  }
  HttpResponse r = f.Call("ian", "GET", "/v1/periods");
  CHECK(r.status == 500);
  CHECK(r.body.find("superuser") == std::string::npos);  // no internals to the caller
  CHECK_THROWS_WITH(UserService(f.store).All(), Catch::Contains("unreadable role 'superuser'"));
}

TEST_CASE("users and returns: a store of schema 3 gains schema 4's columns and keeps its state",
          "[sqlite]") {
  ReturnsFixture f;
  f.Submit("T01100");
  REQUIRE(f.Approve("pat", "T01100", 1).status == 200);
  f.ListSize("T01100", 5100);  // reopened after approval
  f.Submit("T01113");
  IngestResult invalid =
      f.Push("T01126", "list_size",
             {{"extract_date", "2026-08-02"}, {"practice", "T01126"}, {"patients", "-1"}});
  REQUIRE(invalid.reply.outcomes.size() == 1);
  {
    // What a schema-3 server left: none of schema 4's columns or tables.
    auto db = sqlite::Database::Open(f.dir.path() / "server.db");
    db.Exec(
        "ALTER TABLE returns DROP COLUMN approved_revision;"
        "DROP INDEX return_events_by_return;"
        "ALTER TABLE return_events DROP COLUMN upserts;"
        "ALTER TABLE return_events DROP COLUMN deletes;"
        "ALTER TABLE quarantine DROP COLUMN code;"
        "ALTER TABLE users DROP COLUMN expires_at_ms;"
        "DROP TABLE periods;"
        "UPDATE settings SET value = '3' WHERE key = 'schema_version';");
  }
  FakeClock clock{f.clock.NowMillis()};
  ServerStore store(tributary::testing::TestStore(f.dir), clock);
  CHECK(Settings(store).Get("schema_version") == "8");
  ReturnStatus reopened = ReturnService(store).Get({"T01100", "list_size", "2026-08"});
  CHECK(reopened.state == ReturnState::kOpen);
  CHECK(reopened.approved_revision == 1);  // from its history
  CHECK_FALSE(ReturnService(store).Get({"T01113", "list_size", "2026-08"}).approved_revision);
  CHECK(ReturnService(store).RefusedChanges({"T01126", "list_size", "2026-08"}).at(0).code ==
        "invalid");
  CHECK(PeriodService(store).Get("QT1", "2026-08").state == PeriodState::kOpen);
  for (const User& u : UserService(store).All()) {
    CHECK(u.expires_at_ms == clock.NowMillis() + 90LL * 24 * 3600 * 1000);
  }
  CHECK(UserService(store).FindByTokenHash(digest::Sha256Hex("pat")));
  clock.Advance(90LL * 24 * 3600 * 1000);
  CHECK_FALSE(UserService(store).FindByTokenHash(digest::Sha256Hex("pat")));
}
