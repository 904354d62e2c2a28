// People's access has a lifecycle: a token works until it expires or is
// revoked, and then gets 401 at once; every grant and revocation is in the
// audit chain.
#include "returns_fixture.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;

TEST_CASE("users: a token is refused from the moment it expires") {
  ReturnsFixture f;
  User kim{"u-kim", "Kim", Role::kIcsAnalyst, "QT1"};
  kim.expires_at_ms = f.clock.NowMillis() + 3'600'000;
  f.store.AddUser(kim, digest::Sha256Hex("kim"), "operator");
  CHECK(f.Call("kim", "GET", "/v1/periods").status == 200);
  f.clock.Advance(3'599'999);
  CHECK(f.Call("kim", "GET", "/v1/periods").status == 200);
  f.clock.Advance(1);
  HttpResponse expired = f.Call("kim", "GET", "/v1/periods");
  CHECK(expired.status == 401);
  CHECK(ErrorCodeOf(expired) == "unauthorized");
  // Still listed, as expired, for the operator.
  bool listed = false;
  for (const User& u : f.store.Users()) {
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
  std::int64_t entries = f.store.CountAuditEntries();
  CHECK(f.Call("pat", "GET", "/v1/returns?period=2026-08").status == 200);
  f.store.RevokeUser("u-pat", "operator");
  CHECK(f.Call("pat", "GET", "/v1/returns?period=2026-08").status == 401);
  CHECK(f.Approve("pat", "T01100", 1).status == 401);
  CHECK(f.Call("sam", "GET", "/v1/returns?period=2026-08").status == 200);  // others unaffected
  CHECK(f.store.CountAuditEntries() == entries + 1);
  CHECK_FALSE(f.store.FirstBrokenAuditEntry());
  // Revoking twice, or someone unknown, is refused and changes nothing.
  CHECK_THROWS_WITH(f.store.RevokeUser("u-pat", "operator"), Catch::Contains("no user u-pat"));
  CHECK_THROWS_WITH(f.store.RevokeUser("u-nobody", "operator"),
                    Catch::Contains("no user u-nobody"));
  CHECK(f.store.CountAuditEntries() == entries + 1);
}

TEST_CASE("users: a stored role that cannot be read fails loudly instead of granting a guess") {
  ReturnsFixture f;
  {
    auto db = sqlite::Database::Open(f.dir.path() / "server.db");
    db.Exec("UPDATE users SET role = 'superuser' WHERE user_id = 'u-ian'");
  }
  HttpResponse r = f.Call("ian", "GET", "/v1/periods");
  CHECK(r.status == 500);
  CHECK(r.body.find("superuser") == std::string::npos);  // no internals to the caller
  CHECK_THROWS_WITH(f.store.Users(), Catch::Contains("unreadable role 'superuser'"));
}
