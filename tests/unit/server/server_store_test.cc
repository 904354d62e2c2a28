#include "store/server_store.h"

#include <catch2/catch.hpp>

#include "enrol/agent_service.h"
#include "ingest/push_ingest.h"
#include "reconcile/record_readings.h"
#include "temp_dir.h"
#include "test_store.h"
#include "tributary/common/error.h"

using namespace tributary;
using namespace tributary::server;

namespace {

struct Fixture {
  testing::TempDir dir;
  FakeClock clock{1'700'000'000'000};
  ServerStore store{tributary::testing::TestStore(dir), clock};
  PushIngest ingest{store};
  AgentIdentity agent;

  Fixture() {
    AgentService(store).AddToken("hash", "T01100", clock.NowMillis() + 60'000);
    AgentService(store).EnrolWithToken("hash", [](const std::string&) {
      return IssuedIdentity{"agent-1", "serial-1", 0};
    });
    agent = *AgentService(store).FindByCertificate("serial-1");
  }
};

protocol::Change ListSizeChange(std::uint64_t seq, const std::string& day, int patients) {
  protocol::Change c;
  c.seq = seq;
  c.dataset = "list_size";
  c.fields = {{"extract_date", "2026-08-" + day},
              {"practice", "T01100"},
              {"patients", std::to_string(patients)}};
  c.key = RecordKey(datasets::ListSize(), c.fields);
  c.version = 1000 + seq;
  return c;
}

protocol::PushBatch Batch(std::uint64_t from, std::uint64_t to) {
  protocol::PushBatch b;
  b.practice = "T01100";
  b.from_seq = from;
  b.to_seq = to;
  for (std::uint64_t s = from; s <= to; ++s) {
    b.changes.push_back(ListSizeChange(s, s < 10 ? "0" + std::to_string(s) : std::to_string(s),
                                       static_cast<int>(s)));
  }
  return b;
}

}  // namespace

TEST_CASE("server store: a batch is applied and the high-water mark moves with it") {
  Fixture f;
  auto result = f.ingest.Ingest(f.agent, Batch(1, 3));
  CHECK_FALSE(result.gap);
  CHECK(result.reply.acknowledged_seq == 3);
  CHECK(result.reply.accepted == 3);
  CHECK(RecordReadings(f.store).CountRecords("T01100", "list_size") == 3);
  CHECK(AgentService(f.store).AcknowledgedSeq("agent-1") == 3);
}

TEST_CASE("server store: the same batch twice takes effect once") {
  Fixture f;
  f.ingest.Ingest(f.agent, Batch(1, 3));
  auto again = f.ingest.Ingest(f.agent, Batch(1, 3));
  CHECK(again.reply.acknowledged_seq == 3);
  CHECK(again.reply.accepted == 0);
  CHECK(RecordReadings(f.store).CountChanges("T01100") == 3);
}

TEST_CASE("server store: an overlapping batch applies only the new changes") {
  Fixture f;
  f.ingest.Ingest(f.agent, Batch(1, 3));
  auto overlap = f.ingest.Ingest(f.agent, Batch(2, 5));
  CHECK(overlap.reply.acknowledged_seq == 5);
  CHECK(overlap.reply.accepted == 2);
  CHECK(RecordReadings(f.store).CountChanges("T01100") == 5);
}

TEST_CASE("server store: a gap is refused with the seq to resume from, and nothing applied") {
  Fixture f;
  f.ingest.Ingest(f.agent, Batch(1, 3));
  auto gap = f.ingest.Ingest(f.agent, Batch(5, 6));
  CHECK(gap.gap);
  CHECK(gap.resume_from == 4);
  CHECK(RecordReadings(f.store).CountChanges("T01100") == 3);
  CHECK(AgentService(f.store).AcknowledgedSeq("agent-1") == 3);
}

TEST_CASE("server store: an invalid change is quarantined and does not block the rest") {
  Fixture f;
  auto batch = Batch(1, 3);
  batch.changes[1].fields["patients"] = "lots";
  auto result = f.ingest.Ingest(f.agent, batch);
  CHECK(result.reply.acknowledged_seq == 3);
  CHECK(result.reply.accepted == 2);
  REQUIRE(result.reply.outcomes.size() == 1);
  CHECK(result.reply.outcomes[0].seq == 2);
  CHECK(result.reply.outcomes[0].outcome == protocol::Outcome::kInvalid);
  CHECK(result.reply.outcomes[0].reasons.at(0).field == "patients");
  CHECK(RecordReadings(f.store).CountRecords("T01100", "list_size") == 2);
}

TEST_CASE("server store: a key that does not match the fields is invalid") {
  Fixture f;
  auto batch = Batch(1, 1);
  batch.changes[0].key = "2026-08-30|T01100";
  auto result = f.ingest.Ingest(f.agent, batch);
  REQUIRE(result.reply.outcomes.size() == 1);
  CHECK(result.reply.outcomes[0].reasons.at(0).field == "key");
}

TEST_CASE("server store: a batch naming another practice is refused whole") {
  Fixture f;
  auto batch = Batch(1, 2);
  batch.practice = "T09999";
  CHECK_THROWS_AS(f.ingest.Ingest(f.agent, batch), Error);
  auto sneaky = Batch(1, 2);
  sneaky.changes[1].fields["practice"] = "T09999";
  CHECK_THROWS_AS(f.ingest.Ingest(f.agent, sneaky), Error);
  auto sneaky_delete = Batch(1, 1);
  sneaky_delete.changes[0].op = protocol::ChangeOp::kDelete;
  sneaky_delete.changes[0].fields.clear();
  sneaky_delete.changes[0].key = "2026-08-01|T09999";
  CHECK_THROWS_AS(f.ingest.Ingest(f.agent, sneaky_delete), Error);
  CHECK(RecordReadings(f.store).CountChanges("T01100") == 0);
  CHECK(AgentService(f.store).AcknowledgedSeq("agent-1") == 0);
}

TEST_CASE("server store: a delete removes the record and is logged") {
  Fixture f;
  f.ingest.Ingest(f.agent, Batch(1, 1));
  protocol::PushBatch del;
  del.practice = "T01100";
  del.from_seq = del.to_seq = 2;
  protocol::Change c = ListSizeChange(2, "01", 1);
  c.op = protocol::ChangeOp::kDelete;
  c.fields.clear();
  del.changes = {c};
  f.ingest.Ingest(f.agent, del);
  CHECK(RecordReadings(f.store).CountRecords("T01100", "list_size") == 0);
  CHECK(RecordReadings(f.store).CountChanges("T01100") == 2);
}

TEST_CASE("server store: tokens are one-time and expire") {
  Fixture f;
  auto issue = [](const std::string&) { return IssuedIdentity{"agent-2", "serial-2", 0}; };
  CHECK(AgentService(f.store).EnrolWithToken("hash", issue) == TokenRefusal::kUsed);
  CHECK(AgentService(f.store).EnrolWithToken("nope", issue) == TokenRefusal::kUnknown);
  AgentService(f.store).AddToken("short", "T01100", f.clock.NowMillis() + 1000);
  f.clock.Advance(1000);
  CHECK(AgentService(f.store).EnrolWithToken("short", issue) == TokenRefusal::kExpired);
  CHECK_FALSE(AgentService(f.store).FindByCertificate("serial-2"));
}

TEST_CASE("server store: summaries count records and appointments per practice and month") {
  Fixture f;
  f.ingest.Ingest(f.agent, Batch(1, 2));
  auto summaries = RecordReadings(f.store).Summaries();
  REQUIRE(summaries.size() == 1);
  CHECK(summaries[0].practice == "T01100");
  CHECK(summaries[0].datasets.at("list_size").at("2026-08").records == 2);
  CHECK_FALSE(summaries[0].last_sync.empty());
}

TEST_CASE("server store: a store written by a newer server is refused, unchanged") {
  testing::TempDir dir;
  FakeClock clock{1'700'000'000'000};
  { ServerStore store(tributary::testing::TestStore(dir), clock); }
  {
    auto db = tributary::testing::OpenTestStore(dir);
    db->Exec("UPDATE settings SET value = '99' WHERE key = 'schema_version'");
  }
  CHECK_THROWS_WITH(ServerStore(tributary::testing::TestStore(dir), clock),
                    Catch::Contains("newer tributary-server (schema 99)"));
  auto db = tributary::testing::OpenTestStore(dir);
  auto version = db->Prepare("SELECT value FROM settings WHERE key = 'schema_version'");
  REQUIRE(version.Step());
  CHECK(version.ColumnText(0) == "99");
}

TEST_CASE("server store: a pushed submission delete refuses the batch whole") {
  Fixture f;
  protocol::PushBatch del = Batch(1, 1);
  del.to_seq = 2;
  protocol::Change c;
  c.seq = 2;
  c.dataset = "submission";
  c.op = protocol::ChangeOp::kDelete;
  c.key = "T01100|workforce|2026-08";
  c.version = 1002;
  del.changes.push_back(c);
  try {
    f.ingest.Ingest(f.agent, del);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kInvalidInput);
    CHECK(std::string(e.what()).find("change 2 deletes a submission") != std::string::npos);
  }
  CHECK(RecordReadings(f.store).CountChanges("T01100") == 0);
  CHECK(AgentService(f.store).AcknowledgedSeq("agent-1") == 0);
}
