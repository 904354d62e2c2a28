// The push and pull clients against a scripted transport: what the agent does
// with each reply the server can give — and with the reply that never comes.
// The failure modes: a lost reply, a sequence gap, a refused batch (409), a
// busy server (429 with Retry-After), a refused identity (401), a reply cut
// mid-body; in every one nothing is lost and nothing is acknowledged that the
// server did not acknowledge.
#include "scripted_transport.h"
#include "store/local_store.h"
#include "sync/pull_client.h"
#include "sync/push_client.h"
#include "sync/receipt_check.h"
#include "temp_dir.h"
#include "tributary/common/signing.h"
#include "tributary/common/sqlite.h"
#include "tributary/protocol/receipt.h"

using namespace tributary;
using namespace tributary::agent;
using namespace tributary::agent::testing;

namespace {

constexpr const char* kServer = "https://server.test";

struct Agent {
  tributary::testing::TempDir dir;
  FakeClock clock{1'790'000'000'000};
  LocalStore store{dir.path() / "agent.db", clock};
  ScriptedTransport transport;

  Agent() { store.SetState("practice", "T01100"); }

  // `n` list sizes, each its own change.
  void Change(int n, int patients = 5000) {
    for (int i = 1; i <= n; ++i) {
      store.UpsertRecord(
          datasets::ListSize(),
          {{"extract_date", "2026-08-" + std::string(i < 10 ? "0" : "") + std::to_string(i)},
           {"practice", "T01100"},
           {"patients", std::to_string(patients + i)}},
          nullptr);
    }
  }
  PushSummary Push(std::size_t batch_size = 100) {
    return PushClient(store, transport, kServer, batch_size, clock).PushAll();
  }
  std::size_t Pull() { return PullClient(store, transport, kServer).PullAll(); }
};

ErrorCode CodeOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("no error was thrown");
  return ErrorCode::kInternal;
}

}  // namespace

TEST_CASE("push client: a lost reply loses nothing, and the same batch goes again") {
  Agent a;
  a.Change(3);
  a.transport.Fail("connection reset by peer");
  CHECK(CodeOf([&] { a.Push(); }) == ErrorCode::kNetwork);
  CHECK(a.store.AcknowledgedSeq() == 0);  // the server may or may not hold it
  CHECK(a.store.PendingCount() == 3);

  // A change to a record that was in the unanswered batch is a new change:
  // the server may hold the first, so it is never rewritten in place.
  a.store.UpsertRecord(
      datasets::ListSize(),
      {{"extract_date", "2026-08-01"}, {"practice", "T01100"}, {"patients", "4000"}}, nullptr);
  CHECK(a.store.LastSeq() == 4);

  a.transport.ReplyWith(AcknowledgeAll);
  PushSummary pushed = a.Push();
  CHECK(pushed.acknowledged_seq == 4);
  CHECK(a.store.PendingCount() == 0);
  REQUIRE(a.transport.exchanges().size() == 2);
  protocol::PushBatch first = a.transport.exchanges()[0].Batch();
  protocol::PushBatch again = a.transport.exchanges()[1].Batch();
  CHECK(first.from_seq == 1);
  CHECK(again.from_seq == 1);  // resent from what the server acknowledged
  CHECK(again.to_seq == 4);
  CHECK(again.changes[0].fields == first.changes[0].fields);
  CHECK(again.changes[3].fields.at("patients") == "4000");
}

TEST_CASE("push client: a sequence gap within what the agent sent catches up, beyond it fails") {
  Agent a;
  a.Change(5);
  // The server already holds 1..3 (a reply was lost before): it says so.
  a.transport.Reply(Refusal(409, "sequence_gap", "send from seq 4", 4));
  a.transport.ReplyWith(AcknowledgeAll);
  PushSummary pushed = a.Push(2);
  CHECK(pushed.acknowledged_seq == 5);
  CHECK(a.store.PendingCount() == 0);
  REQUIRE(a.transport.exchanges().size() == 2);
  CHECK(a.transport.exchanges()[0].Batch().from_seq == 1);
  CHECK(a.transport.exchanges()[1].Batch().from_seq == 4);

  Agent b;
  b.Change(2);
  // A server that claims more than this agent ever made: the stores disagree.
  b.transport.Reply(Refusal(409, "sequence_gap", "send from seq 9", 9));
  CHECK(CodeOf([&] { b.Push(); }) == ErrorCode::kConflict);
  CHECK(b.store.AcknowledgedSeq() == 0);
  CHECK(b.store.PendingCount() == 2);
}

TEST_CASE("push client: a refused batch (409) acknowledges nothing and keeps everything") {
  Agent a;
  a.Change(2);
  a.transport.Reply(Refusal(409, "practice_mismatch", "the batch names another practice"));
  CHECK(CodeOf([&] { a.Push(); }) == ErrorCode::kProtocol);
  CHECK(a.store.AcknowledgedSeq() == 0);
  CHECK(a.store.PendingCount() == 2);
}

TEST_CASE("push client: a busy server (429) is retried when it asked, not before") {
  Agent a;
  a.Change(2);
  a.transport.Reply(Refusal(429, "busy", "too many requests", std::nullopt, 30));
  try {
    a.Push();
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kUnavailable);
    REQUIRE(e.retry_after());
    CHECK(*e.retry_after() == std::chrono::seconds(30));
  }
  CHECK(a.store.PendingCount() == 2);
}

TEST_CASE("push client: a refused identity (401) says so and keeps everything") {
  Agent a;
  a.Change(1);
  a.transport.Reply(Refusal(401, "identity_revoked", "this agent's identity was revoked"));
  try {
    a.Push();
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kUnauthorized);
    CHECK(std::string(e.what()).find("identity_revoked") != std::string::npos);
  }
  CHECK(a.store.PendingCount() == 1);
}

TEST_CASE("push client: a reply cut mid-body acknowledges nothing; the next push finishes") {
  Agent a;
  a.Change(3);
  a.transport.ReplyWith([](const Exchange& e) {
    HttpsResponse whole = AcknowledgeAll(e);
    whole.body.resize(whole.body.size() / 2);
    return whole;
  });
  CHECK(CodeOf([&] { a.Push(); }) == ErrorCode::kProtocol);
  CHECK(a.store.AcknowledgedSeq() == 0);
  CHECK(a.store.PendingCount() == 3);
  a.transport.ReplyWith(AcknowledgeAll);
  CHECK(a.Push().acknowledged_seq == 3);
  CHECK(a.store.PendingCount() == 0);
}

TEST_CASE("push client: an acknowledgement outside the batch is refused, not believed") {
  Agent a;
  a.Change(2);
  a.transport.Reply(Ok(protocol::Encode(protocol::PushReply{7, 2, {}, std::nullopt})));
  CHECK(CodeOf([&] { a.Push(); }) == ErrorCode::kProtocol);
  CHECK(a.store.AcknowledgedSeq() == 0);
  CHECK(a.store.PendingCount() == 2);
}

TEST_CASE(
    "push client: a reply without a receipt that holds is refused, and nothing acknowledged") {
  Agent a;
  a.Change(2);
  auto reply_with = [&a](std::function<void(protocol::PushReply&)> spoil) {
    a.transport.ReplyWith([spoil](const Exchange& e) {
      protocol::PushBatch batch = e.Batch();
      protocol::PushReply reply{batch.to_seq, 2, {}, ReceiptFor(batch, batch.to_seq)};
      spoil(reply);
      return Ok(protocol::Encode(reply));
    });
  };
  reply_with([](protocol::PushReply& r) { r.receipt.reset(); });
  CHECK(CodeOf([&] { a.Push(); }) == ErrorCode::kProtocol);
  reply_with([](protocol::PushReply& r) { r.receipt->acknowledged_seq = 1; });  // signature fails
  CHECK(CodeOf([&] { a.Push(); }) == ErrorCode::kProtocol);
  reply_with([](protocol::PushReply& r) {  // signed, but for other changes
    r.receipt->changes_sha256 = std::string(64, '0');
    r.receipt->signature = ServerKey().Sign(protocol::ReceiptText(*r.receipt));
  });
  CHECK(CodeOf([&] { a.Push(); }) == ErrorCode::kProtocol);
  CHECK(a.store.AcknowledgedSeq() == 0);
  CHECK(a.store.Receipts().empty());
  a.transport.ReplyWith(AcknowledgeAll);
  CHECK(a.Push().acknowledged_seq == 2);
  REQUIRE(a.store.Receipts().size() == 1);
  CHECK(a.store.GetState("signing_public_key") == ServerKey().PublicKeyHex());
}

TEST_CASE("push client: once the server's key is pinned, a receipt under another key is refused") {
  Agent a;
  a.store.SetState("signing_public_key", ServerKey().PublicKeyHex());
  a.Change(1);
  signing::SigningKey impostor = signing::SigningKey::Generate();
  a.transport.ReplyWith([&impostor](const Exchange& e) {
    protocol::PushBatch batch = e.Batch();
    return Ok(protocol::Encode(
        protocol::PushReply{batch.to_seq, 1, {}, ReceiptFor(batch, batch.to_seq, impostor)}));
  });
  CHECK(CodeOf([&] { a.Push(); }) == ErrorCode::kProtocol);
  CHECK(a.store.AcknowledgedSeq() == 0);
}

TEST_CASE("receipts: the ledger verifies when its receipts hold and cover every acknowledged seq") {
  Agent a;
  for (int i = 0; i < 3; ++i) a.transport.ReplyWith(AcknowledgeAll);
  a.Change(5);
  a.Push(2);  // three batches: 1..2, 3..4, 5..5
  LedgerCheck check = CheckLedger(a.store);
  CHECK(check.receipts == 3);
  CHECK(check.covered_to == 5);
  CHECK(check.problems.empty());
  // An acknowledgement without a receipt leaves a gap the check names.
  a.Change(2, 7000);
  a.store.Acknowledge(7, {}, "2026-08-31T00:00:00Z");
  check = CheckLedger(a.store);
  REQUIRE(check.problems.size() == 1);
  CHECK(check.problems[0] == "seqs 6..7 were acknowledged without a receipt that verifies");
}

TEST_CASE("receipts: a receipt changed in the ledger, or signed by another key, fails the check") {
  Agent a;
  a.transport.ReplyWith(AcknowledgeAll);
  a.Change(2);
  a.Push();
  {
    auto db = sqlite::Database::Open(a.dir.path() / "agent.db");
    // The ledger refuses changes; a rewrite behind its back goes under the triggers.
    CHECK_THROWS(db.Exec("UPDATE receipts SET acknowledged_seq = 1"));
    db.Exec("DROP TRIGGER receipts_append_only_update");
    db.Exec("UPDATE receipts SET acknowledged_seq = 1");
  }
  LedgerCheck check = CheckLedger(a.store);
  REQUIRE_FALSE(check.problems.empty());
  CHECK(check.problems[0] == "receipt 1 (seqs 1..2) does not verify: it was changed after it came");
  a.store.SetState("signing_public_key", signing::SigningKey::Generate().PublicKeyHex());
  CHECK(CheckLedger(a.store).problems[0] ==
        "receipt 1 (seqs 1..2) is signed with another key than the server's");
}

namespace {

HttpsResponse Notices(std::vector<protocol::Notice> notices, std::uint64_t cursor, bool more) {
  return Ok(protocol::Encode(protocol::PullReply{std::move(notices), cursor, more, std::nullopt}));
}

protocol::Notice Query(std::uint64_t id, const std::string& comment) {
  return {id,
          "return",
          {{"dataset", "workforce"},
           {"period", "2026-08"},
           {"state", "queried"},
           {"revision", "2"},
           {"comment", comment}}};
}

}  // namespace

TEST_CASE("pull client: pages are applied with their cursor, and asked for from it") {
  Agent a;
  a.transport.Reply(Notices({Query(1, "first")}, 1, true));
  a.transport.Reply(Notices({Query(2, "second")}, 2, false));
  CHECK(a.Pull() == 2);
  CHECK(a.store.PullCursor() == 2);
  REQUIRE(a.transport.exchanges().size() == 2);
  CHECK(a.transport.exchanges()[0].url == std::string(kServer) + "/v1/sync/pull?cursor=0");
  CHECK(a.transport.exchanges()[1].url == std::string(kServer) + "/v1/sync/pull?cursor=1");
  REQUIRE(a.store.ServerReturns().size() == 1);
  CHECK(a.store.ServerReturns()[0].comment == "second");
}

TEST_CASE("pull client: a reply cut mid-body applies nothing; the next pull resumes") {
  Agent a;
  a.transport.Reply(Notices({Query(1, "kept")}, 1, true));
  HttpsResponse cut = Notices({Query(2, "lost")}, 2, false);
  cut.body.resize(cut.body.size() - 10);
  a.transport.Reply(cut);
  CHECK(CodeOf([&] { a.Pull(); }) == ErrorCode::kProtocol);
  CHECK(a.store.PullCursor() == 1);  // the first page stays applied
  CHECK(a.store.ServerReturns().at(0).comment == "kept");
  a.transport.Reply(Notices({Query(2, "arrived")}, 2, false));
  CHECK(a.Pull() == 1);
  CHECK(a.transport.exchanges().back().url == std::string(kServer) + "/v1/sync/pull?cursor=1");
  CHECK(a.store.ServerReturns().at(0).comment == "arrived");
}

TEST_CASE(
    "pull client: a lost reply, 429 and 401 change nothing, a cursor going back only from a "
    "restored server") {
  Agent a;
  a.transport.Reply(Notices({Query(5, "held")}, 5, false));
  REQUIRE(a.Pull() == 1);
  a.transport.Fail("timed out");
  CHECK(CodeOf([&] { a.Pull(); }) == ErrorCode::kNetwork);
  a.transport.Reply(Refusal(429, "busy", "later", std::nullopt, 5));
  CHECK(CodeOf([&] { a.Pull(); }) == ErrorCode::kUnavailable);
  a.transport.Reply(Refusal(401, "unknown_certificate", "enrol first"));
  CHECK(CodeOf([&] { a.Pull(); }) == ErrorCode::kUnauthorized);
  a.transport.Reply(Notices({Query(4, "old")}, 4, false));  // back, with notices
  CHECK(CodeOf([&] { a.Pull(); }) == ErrorCode::kProtocol);
  a.transport.Reply(Notices({}, 5, true));  // "more", but nothing to move on to
  CHECK(CodeOf([&] { a.Pull(); }) == ErrorCode::kProtocol);
  CHECK(a.store.PullCursor() == 5);
  // Back with nothing new: a server restored from a backup whose notices end
  // at 3. The agent reads on from there, so notice 4 is new to it.
  a.transport.Reply(Notices({}, 3, false));
  CHECK(a.Pull() == 0);
  CHECK(a.store.PullCursor() == 3);
  a.transport.Reply(Notices({Query(4, "after the restore")}, 4, false));
  CHECK(a.Pull() == 1);
  CHECK(a.store.ServerReturns().at(0).comment == "after the restore");
  CHECK(a.store.PullCursor() == 4);
  CHECK(a.transport.script_done());
}
