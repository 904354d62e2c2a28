#include "ingest/push_ingest.h"

#include "ingest/batch_writer.h"
#include "periods/period_book.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

std::vector<FieldFinding> CheckChange(const protocol::Change& change) {
  const DatasetDecl* dataset = datasets::Find(change.dataset);
  if (dataset == nullptr) return {{"dataset", "'" + change.dataset + "' is not a dataset"}};
  if (change.key.empty()) return {{"key", "is required"}};
  if (change.op == protocol::ChangeOp::kDelete) return {};
  std::vector<FieldFinding> findings = ValidateWireRecord(*dataset, change.fields);
  if (findings.empty() && RecordKey(*dataset, change.fields) != change.key) {
    findings.push_back({"key", "does not match the record's key fields"});
  }
  return findings;
}

}  // namespace

IngestResult PushIngest::Ingest(const AgentIdentity& agent, const protocol::PushBatch& batch) {
  if (batch.practice != agent.practice) {
    throw Error::Forbidden("this agent's certificate is for practice " + agent.practice +
                           "; the batch names " + batch.practice);
  }
  std::vector<CheckedChange> checked;
  checked.reserve(batch.changes.size());
  for (const protocol::Change& change : batch.changes) {
    if (const DatasetDecl* dataset = datasets::Find(change.dataset)) {
      auto it = change.fields.find(dataset->practice_field);
      if (it != change.fields.end() && it->second != agent.practice) {
        throw Error::Forbidden("change " + std::to_string(change.seq) +
                               " is a record of practice " + it->second +
                               "; this agent may write only for " + agent.practice);
      }
      // A delete carries no fields, so the practice its key names is checked too.
      if (KeyPractice(*dataset, change.key) != agent.practice) {
        throw Error::Forbidden("change " + std::to_string(change.seq) +
                               " names a record outside practice " + agent.practice);
      }
      // No agent sends one: a practice submits, and only its PCN manager reopens.
      if (dataset == &datasets::Submission() && change.op == protocol::ChangeOp::kDelete) {
        throw Error::InvalidInput("change " + std::to_string(change.seq) +
                                  " deletes a submission; a submitted return is reopened by "
                                  "the PCN manager, never withdrawn by the practice");
      }
    }
    checked.push_back({&change, CheckChange(change)});
  }
  // Exactly once (docs/design.md invariant 2): the batch's changes and the
  // agent's high-water mark commit together.
  ApplyResult applied = store_.Write([&](StoreTransaction& t) {
    PeriodBook periods(t.db());
    return BatchWriter(t.db(), ClosedMonthCheck(t.Hierarchy(), periods))
        .Apply(agent, batch, checked, t.NowMs());
  });
  IngestResult result;
  if (applied.gap) {
    result.gap = true;
    result.resume_from = applied.acknowledged_seq + 1;
    return result;
  }
  result.reply.acknowledged_seq = applied.acknowledged_seq;
  result.reply.accepted = applied.accepted;
  result.reply.outcomes = std::move(applied.outcomes);
  if (receipts_ != nullptr) result.reply.receipt = receipts_->Sign(batch, applied.acknowledged_seq);
  return result;
}

}  // namespace tributary::server
