// The audit log against an insider who can write the store but holds neither
// the audit key nor the signing key: a rewritten entry, a cut end, and what
// the operator's own acts leave in it.
#include <catch2/catch.hpp>
#include <fstream>

#include "database/connection.h"
#include "deployment.h"
#include "tributary/common/digest.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

void AllowTampering(server::db::Connection& db) {
  if (db.engine() == server::db::Engine::kSqlite) {
    db.Exec("DROP TRIGGER audit_log_no_update");
    db.Exec("DROP TRIGGER audit_log_no_delete");
    db.Exec("DROP TRIGGER audit_checkpoints_no_delete");
  } else {
    db.Exec("DROP TRIGGER audit_log_no_change ON audit_log");
    db.Exec("DROP TRIGGER audit_checkpoints_no_change ON audit_checkpoints");
  }
}

}  // namespace

TEST_CASE("security: an audit entry rewritten and the chain hashed again fails audit verify") {
  Deployment d;
  d.UserToken("pcn-manager", "U10010");
  d.UserToken("ics-analyst", "QT1");
  REQUIRE(d.server().Command({"audit", "verify"}).exit_code == 0);
  {
    auto db = OpenServerStore(d.server());
    AllowTampering(*db);
    // The last entry made to say something else, its hash recomputed as the
    // chain was before it was keyed: all the insider can do without the key.
    auto last = db->Prepare(
        "SELECT id, at_ms, actor, action, subject, previous_hash FROM audit_log ORDER BY id DESC "
        "LIMIT 1");
    REQUIRE(last.Step());
    std::string text = last.ColumnText(5);
    for (const std::string& field :
         {std::to_string(last.ColumnInt(1)), last.ColumnText(2), last.ColumnText(3),
          last.ColumnText(4), std::string("nothing happened")}) {
      text += "\n" + std::to_string(field.size()) + ":" + field;
    }
    auto set = db->Prepare(
        "UPDATE audit_log SET detail = 'nothing happened', hash = ?, keyed = 0 WHERE id = ?");
    set.Bind(1, digest::Sha256Hex(text)).Bind(2, last.ColumnInt(0));
    set.Run();
  }
  RunResult r = d.server().Command({"audit", "verify"});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("chain breaks at entry") != std::string::npos);
}

TEST_CASE("security: the audit log cut at its end is caught by checkpoints kept elsewhere") {
  Deployment d;
  d.UserToken("pcn-manager", "U10010");
  REQUIRE(d.server().Command({"audit", "checkpoint"}).exit_code == 0);
  std::filesystem::path exported = d.dir().path() / "audit-export.jsonl";
  REQUIRE(d.server().Command({"audit", "export", "--to", exported.string()}).exit_code == 0);
  CHECK(files::Read(exported).find("\"checkpoint\"") != std::string::npos);
  REQUIRE(d.server().Command({"audit", "verify", "--checkpoints", exported.string()}).exit_code ==
          0);
  {
    // The last entry removed, and the store's checkpoints with it.
    auto db = OpenServerStore(d.server());
    AllowTampering(*db);
    db->Exec("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)");
    db->Exec("DELETE FROM audit_checkpoints");
  }
  CHECK(d.server().Command({"audit", "verify"}).exit_code == 0);  // what is left chains
  RunResult r = d.server().Command({"audit", "verify", "--checkpoints", exported.string()});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("entries were removed from its end") != std::string::npos);
}

TEST_CASE("security: a forged checkpoint file is refused, not believed") {
  Deployment d;
  d.UserToken("pcn-manager", "U10010");
  REQUIRE(d.server().Command({"audit", "checkpoint"}).exit_code == 0);
  std::filesystem::path exported = d.dir().path() / "audit-export.jsonl";
  REQUIRE(d.server().Command({"audit", "export", "--to", exported.string()}).exit_code == 0);
  std::string text = files::Read(exported);
  auto at = text.find("\"entries\":");
  REQUIRE(at != std::string::npos);
  text.replace(at, 11, "\"entries\":1");  // claims another length, same signature
  files::WriteAtomic(exported, text);
  RunResult r = d.server().Command({"audit", "verify", "--checkpoints", exported.string()});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("is not signed by this server") != std::string::npos);
  files::WriteAtomic(exported, "not json\n");
  RunResult bad = d.server().Command({"audit", "verify", "--checkpoints", exported.string()});
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.find("audit-export.jsonl:1: not a JSON object") != std::string::npos);
}

TEST_CASE("security: tokens, enrolments, revocations and people's access are audited") {
  Deployment d;  // one token made and used
  d.UserToken("pcn-manager", "U10010");
  REQUIRE(d.server().Command({"agents", "revoke", "--practice", "T01100"}).exit_code == 0);
  RunResult exported = d.server().Command({"audit", "export"});
  REQUIRE(exported.exit_code == 0);
  for (const char* action : {"\"token_create\"", "\"agent_enrol\"", "\"user_add\"",
                             "\"agents_revoke\"", "\"orgs_import\""}) {
    INFO(action);
    CHECK(exported.out.find(action) != std::string::npos);
  }
  CHECK(exported.out.find("\"keyed\":true") != std::string::npos);
  CHECK(exported.out.find("\"keyed\":false") == std::string::npos);
}
