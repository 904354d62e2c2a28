// Receipts as a practice uses them against a server that would deny what it
// took, and as an auditor checks them: every acknowledged change covered by
// a receipt the server signed, and a receipt changed afterwards caught.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "agent_store_files.h"
#include "deployment.h"
#include "tributary/common/files.h"
#include "tributary/common/signing.h"
#include "tributary/common/sqlite.h"
#include "tributary/protocol/receipt.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

boost::json::array Receipts(AgentUnderTest& agent) {
  return boost::json::parse(agent.RunOk({"receipts", "--json"})).at("receipts").as_array();
}

void Sync(AgentUnderTest& agent) {
  agent.RunOk({"import", (SamplePractice(agent.practice()) / "appointments-2026-08.csv").string()});
  agent.RunOk({"import", (SamplePractice(agent.practice()) / "list_size-2026-08.csv").string()});
  agent.RunOk({"sync"});
}

}  // namespace

TEST_CASE("security: every change the server acknowledged is covered by a receipt it signed") {
  Deployment d;
  Sync(d.agent());
  boost::json::array receipts = Receipts(d.agent());
  REQUIRE_FALSE(receipts.empty());
  // Signed by the server's own key, which the agent pinned at enrolment.
  std::string server_key = signing::SigningKey::FromSeedHex(
                               files::Read(d.server().data_dir() / "signing.key").substr(0, 64))
                               .PublicKeyHex();
  for (const auto& r : receipts) CHECK(r.at("public_key").as_string() == server_key);
  RunResult verified = d.agent().Run({"receipts", "verify"});
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.find("covering every change up to seq " +
                          std::to_string(AgentAcknowledgedSeq(d.agent()))) != std::string::npos);
}

TEST_CASE("security: a receipt changed in the practice's ledger fails receipts verify") {
  Deployment d;
  Sync(d.agent());
  {
    auto db = OpenAgentStore(d.agent().data_dir());
    CHECK_THROWS(db.Exec("DELETE FROM receipts"));  // append-only
    db.Exec("DROP TRIGGER receipts_append_only_update");
    db.Exec("UPDATE receipts SET to_seq = to_seq + 1000 WHERE id = 1");
  }
  RunResult r = d.agent().Run({"receipts", "verify"});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("receipt 1") != std::string::npos);
  CHECK(r.err.find("does not verify") != std::string::npos);
}

TEST_CASE("security: receipts that do not cover what was acknowledged fail receipts verify") {
  Deployment d;
  Sync(d.agent());
  {
    auto db = OpenAgentStore(d.agent().data_dir());
    db.Exec("DROP TRIGGER receipts_append_only_delete");
    db.Exec("DELETE FROM receipts WHERE id = (SELECT max(id) FROM receipts)");
  }
  RunResult r = d.agent().Run({"receipts", "verify"});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("were acknowledged without a receipt") != std::string::npos);
}
