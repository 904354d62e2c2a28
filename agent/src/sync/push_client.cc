#include "sync/push_client.h"

#include <boost/json.hpp>
#include <ctime>

#include "sync/receipt_check.h"
#include "sync/server_refusal.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "tributary/common/log.h"
#include "tributary/protocol/codec.h"
#include "tributary/protocol/compression.h"

namespace tributary::agent {
namespace {

std::string IsoTime(std::int64_t millis) { return FormatUtc(millis); }

}  // namespace

PushClient::PushClient(LocalStore& store, Transport& client, std::string server_url,
                       std::size_t batch_size, const Clock& clock)
    : store_(store),
      client_(client),
      server_url_(std::move(server_url)),
      batch_size_(batch_size),
      clock_(clock) {}

void PushClient::ResendAfter(std::uint64_t server_has) {
  std::uint64_t acknowledged = store_.AcknowledgedSeq();
  if (server_has >= acknowledged) return;
  if (!store_.RewindTo(server_has)) {
    throw Error::Conflict(
        "the server holds this practice's changes up to seq " + std::to_string(server_has) +
        " only, not the " + std::to_string(acknowledged) +
        " it acknowledged (restored from an older backup), and this agent no longer keeps "
        "them all (each is kept 35 days after it was acknowledged)");
  }
  log::Warning("changes_resent", "the server holds this practice's changes up to seq " +
                                     std::to_string(server_has) + ", not " +
                                     std::to_string(acknowledged) +
                                     " as it acknowledged (restored from a backup?)");
}

PushSummary PushClient::PushAll() {
  PushSummary summary;
  summary.acknowledged_seq = store_.AcknowledgedSeq();
  while (PushOneBatch(summary)) {
  }
  return summary;
}

bool PushClient::PushOneBatch(PushSummary& summary) {
  std::uint64_t acknowledged = store_.AcknowledgedSeq();
  std::vector<OutboxEntry> entries = store_.PendingChanges(acknowledged, batch_size_);
  if (entries.empty()) return false;
  if (entries.front().seq != acknowledged + 1) {
    throw Error::Internal("outbox starts at seq " + std::to_string(entries.front().seq) +
                          " but the server acknowledged " + std::to_string(acknowledged));
  }
  protocol::PushBatch batch;
  batch.practice = store_.GetState("practice").value_or("");
  batch.from_seq = entries.front().seq;
  batch.to_seq = entries.back().seq;
  batch.changes.reserve(entries.size());
  for (const OutboxEntry& e : entries) {
    protocol::Change change;
    change.seq = e.seq;
    change.dataset = e.dataset;
    change.key = e.key;
    change.op = e.is_delete ? protocol::ChangeOp::kDelete : protocol::ChangeOp::kUpsert;
    change.version = e.version;
    change.base_version = e.base_version;
    if (!e.is_delete) change.fields = ParseCanonicalJson(e.fields_json);
    batch.changes.push_back(std::move(change));
  }
  // From here the server may hold these changes: they are no longer coalesced.
  if (std::to_string(batch.to_seq) != store_.GetState("attempted_seq").value_or("0")) {
    store_.SetState(
        "attempted_seq",
        std::to_string(std::max<std::uint64_t>(
            batch.to_seq, std::stoull(store_.GetState("attempted_seq").value_or("0")))));
  }
  std::string body = protocol::Compress(protocol::Encode(batch));
  HttpsResponse response =
      client_.Post(server_url_ + "/v1/sync/push", body,
                   {"Content-Type: application/json", "Content-Encoding: zstd"});
  if (response.status == 200) {
    auto reply = protocol::DecodePushReply(response.body);
    if (!reply.ok()) {
      throw Error::Protocol("push reply: " + reply.error().field + " " + reply.error().message);
    }
    std::uint64_t ack = reply.value().acknowledged_seq;
    if (ack < batch.from_seq - 1 || ack > batch.to_seq) {
      throw Error::Protocol("server acknowledged seq " + std::to_string(ack) +
                            " outside the batch " + std::to_string(batch.from_seq) + ".." +
                            std::to_string(batch.to_seq));
    }
    CheckReceipt(store_, batch, reply.value());
    std::vector<LocalStore::Finding> findings;
    for (const auto& outcome : reply.value().outcomes) {
      if (outcome.outcome == protocol::Outcome::kAccepted) continue;
      findings.push_back({outcome.seq, std::string(protocol::OutcomeName(outcome.outcome)),
                          FindingsText(outcome.reasons)});
      RefusedChange refused{outcome.seq, "", "", findings.back().outcome, findings.back().detail};
      for (const OutboxEntry& e : entries) {
        if (e.seq == outcome.seq) {
          refused.dataset = e.dataset;
          refused.key = e.key;
        }
      }
      summary.refused.push_back(std::move(refused));
      if (outcome.outcome == protocol::Outcome::kInvalid) ++summary.invalid;
      if (outcome.outcome == protocol::Outcome::kConflict) ++summary.conflicts;
    }
    store_.Acknowledge(ack, findings, IsoTime(clock_.NowMillis()), &*reply.value().receipt);
    summary.changes_sent += entries.size();
    ++summary.batches;
    summary.acknowledged_seq = ack;
    return ack > acknowledged;
  }
  auto error = protocol::DecodeErrorReply(response.body);
  if (response.status == 409 && error.ok() && error.value().code == "sequence_gap" &&
      error.value().resume_from) {
    // The server holds more than we knew (a reply was lost): catch up.
    std::uint64_t server_has = *error.value().resume_from - 1;
    if (server_has > acknowledged && server_has <= store_.LastSeq()) {
      store_.Acknowledge(server_has, {}, IsoTime(clock_.NowMillis()));
      summary.acknowledged_seq = server_has;
      return true;
    }
    if (server_has < acknowledged) {
      ResendAfter(server_has);
      summary.acknowledged_seq = server_has;
      return true;
    }
    throw Error::Conflict("the server expects seq " + std::to_string(*error.value().resume_from) +
                          " but this agent has " + std::to_string(acknowledged + 1) +
                          " next; its store does not match the server's record of this agent");
  }
  ThrowServerRefusal(response, "push");
}

}  // namespace tributary::agent
