#include "store/local_store.h"

#include <catch2/catch.hpp>

#include "temp_dir.h"

using namespace tributary;
using namespace tributary::agent;

namespace {

FieldMap ListSize(const std::string& date, const std::string& patients) {
  return {{"extract_date", date}, {"practice", "T01100"}, {"patients", patients}};
}

ReplaceResult Replace(LocalStore& store, const std::string& period, std::vector<FieldMap> rows,
                      const std::string& sha) {
  return store.ReplacePeriods(datasets::ListSize(), {{period, std::move(rows)}}, {}, sha,
                              "file.csv", 1);
}

}  // namespace

TEST_CASE("local store: an import writes records and numbered outbox entries together") {
  testing::TempDir dir;
  FakeClock clock(1'700'000'000'000);
  LocalStore store(dir.path() / "agent.db", clock);
  auto result = Replace(store, "2026-08", {ListSize("2026-08-01", "6613")}, "sha1");
  CHECK(result.upserts == 1);
  auto pending = store.PendingChanges(0, 100);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].seq == 1);
  CHECK_FALSE(pending[0].is_delete);
  CHECK(store.Records(datasets::ListSize(), "2026-08").size() == 1);
  CHECK(store.WasImported("sha1"));
  CHECK_FALSE(store.WasImported("sha2"));
}

TEST_CASE("local store: replacing a month records upserts for changes and deletes for removals") {
  testing::TempDir dir;
  FakeClock clock(1'700'000'000'000);
  LocalStore store(dir.path() / "agent.db", clock);
  Replace(store, "2026-08", {ListSize("2026-08-01", "6613")}, "a");
  auto first = store.FindRecord(datasets::ListSize(), "2026-08-01|T01100");
  REQUIRE(first);
  // Same content again: nothing new to send.
  auto same = Replace(store, "2026-08", {ListSize("2026-08-01", "6613")}, "b");
  CHECK(same.unchanged == 1);
  CHECK(same.upserts == 0);
  CHECK(store.LastSeq() == 1);
  store.SetState("attempted_seq", "1");  // pushed: not coalesced from here on
  // A corrected file: a different extract date replaces the old row.
  auto corrected = Replace(store, "2026-08", {ListSize("2026-08-02", "6620")}, "c");
  CHECK(corrected.upserts == 1);
  CHECK(corrected.deletes == 1);
  auto pending = store.PendingChanges(0, 100);
  REQUIRE(pending.size() == 3);
  CHECK(pending[1].seq == 2);
  CHECK(pending[2].is_delete);
  CHECK(pending[2].base_version == first->version);
  CHECK(pending[2].version > pending[1].version);
}

TEST_CASE("local store: acknowledging removes entries but never reuses a seq") {
  testing::TempDir dir;
  FakeClock clock(1'700'000'000'000);
  LocalStore store(dir.path() / "agent.db", clock);
  Replace(store, "2026-08", {ListSize("2026-08-01", "1")}, "a");
  store.SetState("attempted_seq", "1");  // pushed between the two imports
  Replace(store, "2026-08", {ListSize("2026-08-01", "2")}, "b");
  store.Acknowledge(2, {}, "2026-11-24T00:00:00Z");
  CHECK(store.PendingCount() == 0);
  CHECK(store.AcknowledgedSeq() == 2);
  Replace(store, "2026-08", {ListSize("2026-08-01", "3")}, "c");
  auto pending = store.PendingChanges(store.AcknowledgedSeq(), 10);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].seq == 3);
}

TEST_CASE(
    "local store: acknowledged changes are kept 35 days to send again to a server restored from "
    "a backup") {
  testing::TempDir dir;
  FakeClock clock(1'700'000'000'000);
  LocalStore store(dir.path() / "agent.db", clock);
  Replace(store, "2026-08",
          {ListSize("2026-08-01", "1"), ListSize("2026-08-02", "2"), ListSize("2026-08-03", "3")},
          "a");
  store.SetState("attempted_seq", "3");
  store.Acknowledge(3, {}, "2026-11-24T00:00:00Z");
  CHECK(store.PendingCount() == 0);

  // The server holds only seq 1 now: 2 and 3 wait again, unchanged.
  REQUIRE(store.RewindTo(1));
  CHECK(store.AcknowledgedSeq() == 1);
  CHECK(store.PendingCount() == 2);
  auto again = store.PendingChanges(store.AcknowledgedSeq(), 10);
  REQUIRE(again.size() == 2);
  CHECK(again[0].seq == 2);
  CHECK(again[1].seq == 3);
  CHECK(again[1].fields_json.find("\"3\"") != std::string::npos);
  store.Acknowledge(3, {}, "2026-11-24T00:00:00Z");

  // 36 days on, the next acknowledgement lets them go: no rewinding past it.
  clock.Advance(36LL * 24 * 60 * 60 * 1000);
  Replace(store, "2026-08",
          {ListSize("2026-08-01", "1"), ListSize("2026-08-02", "2"), ListSize("2026-08-03", "4")},
          "b");
  store.SetState("attempted_seq", "4");
  store.Acknowledge(4, {}, "2027-01-01T00:00:00Z");
  CHECK_FALSE(store.RewindTo(2));
  CHECK(store.AcknowledgedSeq() == 4);
  CHECK(store.RewindTo(3));  // seq 4 is still kept
  CHECK(store.PendingCount() == 1);
}

TEST_CASE("local store: versions keep increasing across a restart with the clock set back") {
  testing::TempDir dir;
  FakeClock clock(1'700'000'000'000);
  HlcTimestamp before = 0;
  {
    LocalStore store(dir.path() / "agent.db", clock);
    Replace(store, "2026-08", {ListSize("2026-08-01", "1")}, "a");
    before = store.PendingChanges(0, 1).at(0).version;
    store.SetState("attempted_seq", "1");
  }
  clock.Set(1'600'000'000'000);
  LocalStore store(dir.path() / "agent.db", clock);
  Replace(store, "2026-08", {ListSize("2026-08-01", "2")}, "b");
  CHECK(store.PendingChanges(1, 1).at(0).version > before);
}

TEST_CASE("local store: a failure part-way through an import stores nothing from it") {
  testing::TempDir dir;
  FakeClock clock(1'700'000'000'000);
  LocalStore store(dir.path() / "agent.db", clock);
  Replace(store, "2026-08", {ListSize("2026-08-01", "1")}, "first");
  {
    // Inject a failure at the third outbox entry, from a second connection.
    auto db = sqlite::Database::Open(dir.path() / "agent.db");
    db.Exec(
        "CREATE TRIGGER fail_third BEFORE INSERT ON outbox WHEN NEW.seq = 3 "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  }
  std::vector<PeriodReplacement> months = {{"2026-09", {ListSize("2026-09-01", "5")}},
                                           {"2026-10", {ListSize("2026-10-01", "6")}}};
  CHECK_THROWS(store.ReplacePeriods(datasets::ListSize(), months, {}, "second", "f.csv", 2));
  CHECK(store.LastSeq() == 1);
  CHECK(store.PendingCount() == 1);
  CHECK(store.Records(datasets::ListSize(), "2026-09").empty());
  CHECK_FALSE(store.WasImported("second"));
}

TEST_CASE("local store: server notices apply exactly once, with their cursor") {
  testing::TempDir dir;
  FakeClock clock(1'700'000'000'000);
  LocalStore store(dir.path() / "agent.db", clock);
  std::vector<protocol::Notice> reply = {
      {3,
       "return",
       {{"dataset", "workforce"},
        {"period", "2026-08"},
        {"state", "queried"},
        {"revision", "1"},
        {"comment", "hours look high"}}},
      {5, "hierarchy", {{"valid_from", "2026-08-01"}, {"valid_to", ""}, {"pcn", "U10010"}}},
      {6, "something newer", {{"x", "y"}}}};
  CHECK(store.ApplyNotices(reply, 6) == 3);
  CHECK(store.PullCursor() == 6);
  CHECK(store.ApplyNotices(reply, 6) == 0);  // the same reply again: no effect
  REQUIRE(store.ServerReturns().size() == 1);
  CHECK(store.ServerReturns()[0].state == "queried");
  CHECK(store.ServerReturns()[0].comment == "hours look high");
  CHECK(store.HierarchyOn("2026-09-15")->at("pcn") == "U10010");
  CHECK_FALSE(store.HierarchyOn("2026-07-31"));

  // A later notice moves the return on; an old one replayed does not move it back.
  store.ApplyNotices({{7,
                       "return",
                       {{"dataset", "workforce"},
                        {"period", "2026-08"},
                        {"state", "approved"},
                        {"revision", "1"}}}},
                     7);
  store.ApplyNotices(reply, 7);
  CHECK(store.ServerReturns()[0].state == "approved");
}

TEST_CASE("local store: a failure while applying notices applies none and keeps the cursor") {
  testing::TempDir dir;
  FakeClock clock(1'700'000'000'000);
  LocalStore store(dir.path() / "agent.db", clock);
  {
    auto db = sqlite::Database::Open(dir.path() / "agent.db");
    db.Exec(
        "CREATE TRIGGER fail_hierarchy BEFORE INSERT ON practice_hierarchy "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  }
  std::vector<protocol::Notice> reply = {
      {1, "return", {{"dataset", "workforce"}, {"period", "2026-08"}, {"state", "queried"}}},
      {2, "hierarchy", {{"valid_from", "2026-08-01"}}}};
  CHECK_THROWS(store.ApplyNotices(reply, 2));
  CHECK(store.PullCursor() == 0);
  CHECK(store.ServerReturns().empty());
}

TEST_CASE(
    "local store: a central correction takes the server's value and version, unless ours is "
    "waiting") {
  testing::TempDir dir;
  FakeClock clock(1'700'000'000'000);
  LocalStore store(dir.path() / "agent.db", clock);
  FieldMap august{{"extract_date", "2026-08-01"}, {"practice", "T01100"}, {"patients", "6600"}};
  store.UpsertRecord(datasets::ListSize(), august, nullptr);
  store.Acknowledge(1, {}, "2026-09-01T00:00:00Z");
  std::string key = RecordKey(datasets::ListSize(), august);
  FieldMap corrected = august;
  corrected["patients"] = "7000";
  store.ApplyNotices({{1,
                       "correction",
                       {{"dataset", "list_size"},
                        {"key", key},
                        {"op", "upsert"},
                        {"record", CanonicalJson(corrected)},
                        {"version", "999"}}}},
                     1);
  auto held = store.FindRecord(datasets::ListSize(), key);
  REQUIRE(held);
  CHECK(held->fields.at("patients") == "7000");
  CHECK(held->version == 999);
  CHECK(store.PendingCount() == 0);  // taking on the server's value is not a change to send

  // Our own edit is waiting: the correction does not overwrite it.
  FieldMap ours = august;
  ours["patients"] = "6900";
  store.UpsertRecord(datasets::ListSize(), ours, nullptr);
  corrected["patients"] = "7100";
  store.ApplyNotices({{2,
                       "correction",
                       {{"dataset", "list_size"},
                        {"key", key},
                        {"op", "upsert"},
                        {"record", CanonicalJson(corrected)},
                        {"version", "1000"}}}},
                     2);
  CHECK(store.FindRecord(datasets::ListSize(), key)->fields.at("patients") == "6900");
  REQUIRE(store.Findings(10).size() == 1);
  CHECK(store.Findings(10)[0].outcome == "conflict");
}

TEST_CASE("local store: an unsent change is coalesced with the next change to the same record") {
  testing::TempDir dir;
  FakeClock clock(1'700'000'000'000);
  LocalStore store(dir.path() / "agent.db", clock);
  Replace(store, "2026-08", {ListSize("2026-08-01", "6613")}, "a");
  auto first = store.PendingChanges(0, 100);
  REQUIRE(first.size() == 1);
  clock.Advance(1000);
  Replace(store, "2026-08", {ListSize("2026-08-01", "6620")}, "b");
  clock.Advance(1000);
  Replace(store, "2026-08", {ListSize("2026-08-01", "6630")}, "c");
  auto pending = store.PendingChanges(0, 100);
  REQUIRE(pending.size() == 1);  // one change, carrying the latest value
  CHECK(pending[0].seq == 1);
  CHECK(store.LastSeq() == 1);
  CHECK(pending[0].fields_json.find("6630") != std::string::npos);
  CHECK(pending[0].base_version == 0);  // still based on what the server has
  CHECK(pending[0].version > first[0].version);
  CHECK(pending[0].version == store.FindRecord(datasets::ListSize(), "2026-08-01|T01100")->version);

  // Once a push has carried it, the server may hold it: a new change is a new entry.
  store.SetState("attempted_seq", "1");
  Replace(store, "2026-08", {ListSize("2026-08-01", "6640")}, "d");
  pending = store.PendingChanges(0, 100);
  REQUIRE(pending.size() == 2);
  CHECK(pending[1].seq == 2);
  CHECK(pending[1].base_version == pending[0].version);
  CHECK(pending[0].fields_json.find("6630") != std::string::npos);  // untouched
}
