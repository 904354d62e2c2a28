// The returns a PCN manager reconciles, through the router: submission by the
// practice, query, approval, reopening by a later change, bulk approval, and
// who may do what.
#include "returns/return_service.h"
#include "returns_fixture.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;
namespace json = boost::json;

namespace {

using Fixture = ReturnsFixture;
std::string Key(const std::string& practice) { return ReturnsFixture::Key(practice); }

}  // namespace

TEST_CASE("returns: submit, query, resubmit, approve, and a later change reopens a new revision") {
  Fixture f;
  CHECK(f.State("T01100") == "open");
  // Approving what was never submitted is refused.
  HttpResponse early = f.Approve("pat", "T01100", 1);
  CHECK(early.status == 409);
  CHECK(ErrorCodeOf(early) == "conflict");

  CHECK(f.Return("T01100").revision == 1);  // the list size pushed
  f.Submit("T01100");
  CHECK(f.State("T01100") == "submitted");
  CHECK(f.Return("T01100").revision == 1);  // a submission is not a change of the records
  HttpResponse query = f.Call("pat", "POST", "/v1/returns/query",
                              "{" + Key("T01100") + R"(,"comment":"list fell by 2,000?"})");
  REQUIRE(query.status == 200);
  CHECK(f.State("T01100") == "queried");
  CHECK(f.Return("T01100").query_comment == "list fell by 2,000?");

  f.ListSize("T01100", 7000);  // the practice corrects it: a new revision, still queried...
  CHECK(f.State("T01100") == "queried");
  CHECK(f.Return("T01100").revision == 2);
  f.Submit("T01100", "2026-09-02T09:00:00Z");  // ...and submits again
  CHECK(f.State("T01100") == "submitted");
  REQUIRE(f.Approve("pat", "T01100", 2).status == 200);
  CHECK(f.State("T01100") == "approved");
  CHECK(f.Return("T01100").approved_revision == 2);

  f.ListSize("T01100", 7100);
  ReturnStatus reopened = f.Return("T01100");
  CHECK(reopened.state == ReturnState::kOpen);
  CHECK(reopened.revision == 3);
  CHECK(reopened.approved_revision == 2);
  HttpResponse detail =
      f.Call("pat", "GET", "/v1/returns/detail?practice=T01100&dataset=list_size&period=2026-08");
  REQUIRE(detail.status == 200);
  json::value parsed = json::parse(detail.body);
  auto changes = parsed.at("changes_since_approval").as_array();
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].at("field").as_string() == "patients");
  CHECK(changes[0].at("approved").as_string() == "7000");
  CHECK(changes[0].at("current").as_string() == "7100");
}

TEST_CASE("returns: the list shows every return of the PCN with state and findings") {
  Fixture f;
  f.Submit("T01100");
  // An invalid change is quarantined and shows on its return.
  auto bad = f.Push("T01113", "list_size",
                    {{"extract_date", "2026-08-15"}, {"practice", "T01113"}, {"patients", "-3"}});
  CHECK(bad.reply.outcomes.size() == 1);
  HttpResponse list = f.Call("pat", "GET", "/v1/returns?period=2026-08");
  REQUIRE(list.status == 200);
  json::value parsed = json::parse(list.body);
  auto returns = parsed.at("returns").as_array();
  CHECK(returns.size() == 6);  // two practices x three datasets
  int submitted = 0;
  for (const auto& r : returns) {
    CHECK(r.at("practice").as_string() != "T01126");
    if (r.at("state").as_string() == "submitted") ++submitted;
    if (r.at("practice").as_string() == "T01113" && r.at("dataset").as_string() == "list_size") {
      REQUIRE(r.at("findings").as_array().size() == 1);
      CHECK(std::string(r.at("findings").as_array()[0].as_string()).find("patients") !=
            std::string::npos);
    }
  }
  CHECK(submitted == 1);
}

TEST_CASE("returns: bulk approval approves exactly the previewed returns, or none") {
  Fixture f;
  f.Submit("T01100");
  f.Submit("T01113");
  HttpResponse preview =
      f.Call("pat", "POST", "/v1/returns/approve-bulk/preview", R"({"period":"2026-08"})");
  REQUIRE(preview.status == 200);
  json::value parsed = json::parse(preview.body);
  CHECK(parsed.at("count").as_int64() == 2);
  json::array previewed = parsed.at("returns").as_array();

  // After the preview the manager queries T01113: the previewed list is
  // stale, so the bulk approval is refused whole.
  REQUIRE(f.Call("pat", "POST", "/v1/returns/query", "{" + Key("T01113") + R"(,"comment":"check"})")
              .status == 200);
  json::object stale{{"returns", previewed}};
  HttpResponse refused = f.Call("pat", "POST", "/v1/returns/approve-bulk", json::serialize(stale));
  CHECK(refused.status == 409);
  CHECK(f.State("T01100") == "submitted");  // all or none

  json::array fresh;
  fresh.push_back(previewed[0]);
  HttpResponse approved = f.Call("pat", "POST", "/v1/returns/approve-bulk",
                                 json::serialize(json::object{{"returns", fresh}}));
  REQUIRE(approved.status == 200);
  CHECK(f.State("T01100") == "approved");
  CHECK(f.State("T01113") == "queried");
}

TEST_CASE("returns: every route refuses people outside their scope or role") {
  Fixture f;
  f.Submit("T01126");  // South PCN
  struct Case {
    const char* token;
    const char* method;
    std::string target;
    std::string body;
  };
  const std::vector<Case> forbidden = {
      // Pat manages North PCN: nothing of South's.
      {"pat", "GET", "/v1/returns?period=2026-08&code=U10017", ""},
      {"pat", "GET", "/v1/returns/detail?practice=T01126&dataset=list_size&period=2026-08", ""},
      {"pat", "POST", "/v1/returns/query", "{" + Key("T01126") + R"(,"comment":"x"})"},
      {"pat", "POST", "/v1/returns/approve", "{" + Key("T01126") + "}"},
      {"pat", "POST", "/v1/returns/approve-bulk/preview",
       R"({"code":"U10017","period":"2026-08"})"},
      {"pat", "POST", "/v1/returns/approve-bulk",
       R"({"returns":[{)" + Key("T01126") + R"(,"revision":1}]})"},
      {"pat", "GET", "/v1/returns?period=2026-08&code=T1A", ""},
      // An ICS analyst reads everything but acts on nothing.
      {"ian", "POST", "/v1/returns/query", "{" + Key("T01126") + R"(,"comment":"x"})"},
      {"ian", "POST", "/v1/returns/approve", "{" + Key("T01126") + "}"},
      {"ian", "POST", "/v1/returns/approve-bulk/preview", R"({"period":"2026-08"})"},
      {"ian", "POST", "/v1/returns/approve-bulk",
       R"({"returns":[{)" + Key("T01126") + R"(,"revision":1}]})"},
  };
  for (const Case& c : forbidden) {
    INFO(c.token << " " << c.method << " " << c.target << " " << c.body);
    HttpResponse r = f.Call(c.token, c.method, c.target, c.body);
    CHECK(r.status == 403);
    CHECK(ErrorCodeOf(r) == "forbidden");
  }
  CHECK(f.State("T01126") == "submitted");
  CHECK(f.Call("ian", "GET", "/v1/returns?period=2026-08&code=U10017").status == 200);
  CHECK(f.Approve("sam", "T01126", 1).status == 200);
  CHECK(f.Call("", "GET", "/v1/returns?period=2026-08").status == 401);
  CHECK(f.Call("pat", "GET", "/v1/returns/approve").status == 405);
  CHECK(f.Call("pat", "POST", "/v1/returns/query", "{" + Key("T01100") + "}").status == 400);
  CHECK(f.Call("pat", "POST", "/v1/returns/approve", "not json").status == 400);
}

TEST_CASE("returns: a locked return takes no more changes, and says why") {
  Fixture f;
  f.Submit("T01100");
  REQUIRE(f.Approve("pat", "T01100", 1).status == 200);
  ReturnService(f.store).Act({"T01100", "list_size", "2026-08"}, ReturnAction::kLock, "operator",
                             "");
  auto r = f.Push("T01100", "list_size",
                  {{"extract_date", "2026-08-01"}, {"practice", "T01100"}, {"patients", "1"}});
  CHECK(r.reply.accepted == 0);
  REQUIRE(r.reply.outcomes.size() == 1);
  CHECK(r.reply.outcomes[0].reasons.at(0).reason.find("is locked") != std::string::npos);
  CHECK(f.State("T01100") == "locked");
  CHECK(ReturnService(f.store).ChangesSinceApproval({"T01100", "list_size", "2026-08"}).empty());
}

TEST_CASE(
    "conflicts: one whose both sides are deletes is listed in its month and can be resolved") {
  ReturnsFixture f;
  {
    auto db = tributary::testing::OpenTestStore(f.dir);
    db->Exec(
        "INSERT INTO conflicts (practice, dataset, record_key, agent_id, seq, op, fields, version, "
        "base_version, current_version, received_at_ms) VALUES ('T01100', 'list_size', "
        "'2026-08-15|T01100', 'agent-T01100', 99, 'delete', NULL, 5, 1, 4, 1)");
  }
  HttpResponse listed = f.Call("pat", "GET", "/v1/conflicts?period=2026-08");
  REQUIRE(listed.status == 200);
  boost::json::array conflicts = boost::json::parse(listed.body).at("conflicts").as_array();
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts.at(0).at("period") == "2026-08");
  std::string id = std::to_string(conflicts.at(0).at("id").as_int64());
  HttpResponse resolved =
      f.Call("pat", "POST", "/v1/conflicts/resolve", R"({"id":)" + id + R"(,"keep":"practice"})");
  CHECK(resolved.status == 200);
  CHECK(f.Call("sam", "POST", "/v1/conflicts/resolve", R"({"id":)" + id + R"(,"keep":"practice"})")
            .status != 200);
}
