// Revisions that catch every change: whatever the state, a change to a
// return's records makes a new revision, and a person approves or queries
// only the revision they saw. The races between a reader and the data: a
// change arriving between reading and approving, between the bulk preview
// and its approval, and during the approval transaction itself.
#include <latch>
#include <thread>

#include "reconcile/correction_service.h"
#include "returns/return_service.h"
#include "returns_fixture.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;
namespace json = boost::json;

namespace {

json::value Detail(ReturnsFixture& f, const std::string& practice) {
  HttpResponse r =
      f.Call("pat", "GET",
             "/v1/returns/detail?practice=" + practice + "&dataset=list_size&period=2026-08");
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

std::int64_t CountEvents(ReturnsFixture& f, const std::string& practice,
                         const std::string& action) {
  std::int64_t n = 0;
  for (const ReturnEvent& e : ReturnService(f.store).History({practice, "list_size", "2026-08"})) {
    if (e.action == action) ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("revisions: data arriving between reading and approving makes the approval stale") {
  ReturnsFixture f;
  f.Submit("T01100");
  json::value seen = Detail(f, "T01100");
  std::int64_t revision = seen.at("revision").as_int64();
  CHECK(seen.at("state").as_string() == "submitted");

  f.ListSize("T01100", 5100);  // the practice sends more while the manager reads
  ReturnStatus moved = f.Return("T01100");
  CHECK(moved.state == ReturnState::kSubmitted);  // still submitted...
  CHECK(moved.revision == revision + 1);          // ...at a new revision

  HttpResponse stale = f.Approve("pat", "T01100", revision);
  CHECK(stale.status == 409);
  CHECK(ErrorCodeOf(stale) == "conflict");
  CHECK(stale.body.find("revision " + std::to_string(revision + 1)) != std::string::npos);
  CHECK(f.State("T01100") == "submitted");  // nothing changed
  CHECK_FALSE(f.Return("T01100").approved_revision);
  CHECK(CountEvents(f, "T01100", "approve") == 0);

  HttpResponse stale_query =
      f.Call("pat", "POST", "/v1/returns/query",
             "{" + ReturnsFixture::Key("T01100") + R"(,"comment":"why?","revision":)" +
                 std::to_string(revision) + "}");
  CHECK(stale_query.status == 409);
  CHECK(f.State("T01100") == "submitted");

  // Read again, approve what was read: the approval holds exactly that revision.
  REQUIRE(f.Approve("pat", "T01100", revision + 1).status == 200);
  CHECK(f.Return("T01100").approved_revision == revision + 1);
  CHECK(ReturnService(f.store).ChangesSinceApproval({"T01100", "list_size", "2026-08"}).empty());
}

TEST_CASE("revisions: approving without a revision is refused, changing nothing") {
  ReturnsFixture f;
  f.Submit("T01100");
  HttpResponse r =
      f.Call("pat", "POST", "/v1/returns/approve", "{" + ReturnsFixture::Key("T01100") + "}");
  CHECK(r.status == 400);
  CHECK(ErrorCodeOf(r) == "invalid_argument");
  CHECK(r.body.find("revision is required") != std::string::npos);
  CHECK(f.State("T01100") == "submitted");
  for (const char* bad : {R"("x")", "-1", "1.5", "true"}) {
    INFO(bad);
    CHECK(f.Call("pat", "POST", "/v1/returns/approve",
                 "{" + ReturnsFixture::Key("T01100") + R"(,"revision":)" + bad + "}")
              .status == 400);
  }
  CHECK(f.State("T01100") == "submitted");
}

TEST_CASE("revisions: data arriving between the bulk preview and its approval: none approved") {
  ReturnsFixture f;
  f.Submit("T01100");
  f.Submit("T01113");
  HttpResponse preview =
      f.Call("pat", "POST", "/v1/returns/approve-bulk/preview", R"({"period":"2026-08"})");
  REQUIRE(preview.status == 200);
  json::array previewed = json::parse(preview.body).at("returns").as_array();
  REQUIRE(previewed.size() == 2);

  f.ListSize("T01113", 4900);  // still submitted, but not what was previewed
  CHECK(f.State("T01113") == "submitted");
  HttpResponse refused = f.Call("pat", "POST", "/v1/returns/approve-bulk",
                                json::serialize(json::object{{"returns", previewed}}));
  CHECK(refused.status == 409);
  CHECK(refused.body.find("T01113/list_size/2026-08") != std::string::npos);
  CHECK(f.State("T01100") == "submitted");  // none approved
  CHECK(f.State("T01113") == "submitted");

  HttpResponse again =
      f.Call("pat", "POST", "/v1/returns/approve-bulk/preview", R"({"period":"2026-08"})");
  HttpResponse approved =
      f.Call("pat", "POST", "/v1/returns/approve-bulk",
             json::serialize(json::object{{"returns", json::parse(again.body).at("returns")}}));
  CHECK(approved.status == 200);
  CHECK(f.State("T01100") == "approved");
  CHECK(f.State("T01113") == "approved");
}

TEST_CASE("revisions: data arriving during the approval transaction is never approved unseen") {
  // The approval and the push race for the store: whichever commits first,
  // the approval covers exactly the revision the manager read, and the
  // other change is never folded into it.
  int approved_first = 0;
  int pushed_first = 0;
  for (int round = 0; round < 40; ++round) {
    ReturnsFixture f;
    f.Submit("T01100");
    const std::int64_t read = f.Return("T01100").revision;
    const std::string patients = std::to_string(6000 + round);
    std::latch start(2);
    IngestResult pushed;
    std::thread pusher([&] {
      start.arrive_and_wait();
      pushed =
          f.Push("T01100", "list_size",
                 {{"extract_date", "2026-08-01"}, {"practice", "T01100"}, {"patients", patients}});
    });
    start.arrive_and_wait();
    HttpResponse approval = f.Approve("pat", "T01100", read);
    pusher.join();

    INFO("round " << round);
    REQUIRE(pushed.reply.accepted == 1);
    ReturnStatus after = f.Return("T01100");
    CHECK(after.revision == read + 1);
    if (approval.status == 200) {
      ++approved_first;
      // The change came after: it reopened the return, and the approved
      // revision still holds the value the manager saw.
      CHECK(after.state == ReturnState::kOpen);
      CHECK(after.approved_revision == read);
      auto changes =
          ReturnService(f.store).ChangesSinceApproval({"T01100", "list_size", "2026-08"});
      REQUIRE(changes.size() == 1);
      CHECK(changes[0].approved == "5000");
      CHECK(changes[0].current == patients);
    } else {
      ++pushed_first;
      CHECK(approval.status == 409);
      CHECK(after.state == ReturnState::kSubmitted);
      CHECK_FALSE(after.approved_revision);
    }
  }
  CHECK(approved_first + pushed_first == 40);
}

TEST_CASE("revisions: central corrections and conflict resolutions make new revisions too") {
  ReturnsFixture f;
  f.Submit("T01100");
  HttpResponse query = f.Call("pat", "POST", "/v1/returns/query",
                              "{" + ReturnsFixture::Key("T01100") + R"(,"comment":"check"})");
  REQUIRE(query.status == 200);
  const std::int64_t start = f.Return("T01100").revision;

  FieldMap record{{"extract_date", "2026-08-01"}, {"practice", "T01100"}, {"patients", "5000"}};
  auto held = CorrectionService(f.store).FindRecord(
      "T01100", "list_size", RecordKey(*datasets::Find("list_size"), record));
  REQUIRE(held);
  record["patients"] = "5050";
  CorrectionService(f.store).Correct("T01100", "list_size", record, held->second, "u-pat (Pat)");
  CHECK(f.Return("T01100").revision == start + 1);
  CHECK(f.State("T01100") == "queried");  // a correction does not answer the query

  // The practice changes the record from the version it had: a conflict,
  // which changes no record and so no revision...
  IngestResult conflict =
      f.Push("T01100", "list_size",
             {{"extract_date", "2026-08-01"}, {"practice", "T01100"}, {"patients", "5100"}});
  REQUIRE(conflict.reply.outcomes.size() == 1);
  CHECK(f.Return("T01100").revision == start + 1);
  // ...until a person resolves it.
  auto open = CorrectionService(f.store).OpenConflicts({"T01100"});
  REQUIRE(open.size() == 1);
  CorrectionService(f.store).Resolve(open[0].id, ConflictChoice::kPractice, {}, "u-pat (Pat)");
  CHECK(f.Return("T01100").revision == start + 2);
}

TEST_CASE("revisions: the history lists every event with its revision, actor and time") {
  ReturnsFixture f;
  f.Submit("T01100");
  REQUIRE(f.Call("pat", "POST", "/v1/returns/query",
                 "{" + ReturnsFixture::Key("T01100") + R"(,"comment":"list fell?"})")
              .status == 200);
  f.clock.Advance(60'000);
  f.ListSize("T01100", 5200);
  f.Submit("T01100", "2026-09-03T09:00:00Z");
  REQUIRE(f.Approve("pat", "T01100", 2).status == 200);
  f.ListSize("T01100", 5300, "2026-08-15");  // a new record after approval: reopens
  f.Submit("T01100", "2026-09-04T09:00:00Z");
  REQUIRE(f.Approve("pat", "T01100", 3).status == 200);
  ReturnService(f.store).Act({"T01100", "list_size", "2026-08"}, ReturnAction::kLock, "operator",
                             "");

  json::array history = Detail(f, "T01100").at("history").as_array();
  std::vector<std::string> actions;
  for (const auto& e : history) actions.push_back(std::string(e.at("action").as_string()));
  CHECK(actions == std::vector<std::string>{"change", "submit", "query", "change", "submit",
                                            "approve", "change", "reopen", "submit", "approve",
                                            "lock"});
  const json::object& first = history[0].as_object();
  CHECK(first.at("revision").as_int64() == 1);
  CHECK(first.at("upserts").as_int64() == 1);
  CHECK(first.at("deletes").as_int64() == 0);
  CHECK(first.at("actor").as_string() == "a-T01100");
  CHECK(first.at("at").as_string() == "2026-09-21T14:13:20Z");
  const json::object& query = history[2].as_object();
  CHECK(query.at("comment").as_string() == "list fell?");
  CHECK(query.at("actor").as_string() == "u-pat (Pat)");
  CHECK(query.at("from_state").as_string() == "submitted");
  CHECK(query.at("to_state").as_string() == "queried");
  CHECK(query.if_contains("upserts") == nullptr);
  CHECK(history[3].at("at").as_string() == "2026-09-21T14:14:20Z");
  CHECK(history[5].at("revision").as_int64() == 2);  // approved revision 2
  CHECK(history[6].at("revision").as_int64() == 3);  // the change after it
  CHECK(history[7].at("from_state").as_string() == "approved");
  CHECK(history[7].at("to_state").as_string() == "open");
  CHECK(history[10].at("to_state").as_string() == "locked");
}
