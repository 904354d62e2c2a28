#include "ingest/batch_writer.h"

#include <map>
#include <set>

#include "ingest/record_batch.h"
#include "reconcile/conflict_book.h"
#include "reconcile/quarantine.h"
#include "reconcile/record_log.h"
#include "returns/return_book.h"
#include "tributary/common/error.h"
#include "tributary/protocol/codec.h"

namespace tributary::server {
namespace {}  // namespace

ApplyResult BatchWriter::Apply(const AgentIdentity& agent, const protocol::PushBatch& batch,
                               const std::vector<CheckedChange>& checked, std::int64_t now) {
  ApplyResult result;
  AgentRegistry agents(db_);
  std::optional<std::uint64_t> mark = agents.HighWaterMark(agent.agent_id);
  if (!mark) throw Error::NotFound("agent " + agent.agent_id + " is not registered");
  const std::uint64_t hwm = *mark;
  result.acknowledged_seq = hwm;
  if (batch.from_seq > hwm + 1) {
    result.gap = true;
    return result;  // nothing written: the unit of work commits no change
  }
  RecordLog log(db_);
  RecordBatch records(log, agent.practice, now);
  {
    std::vector<std::pair<std::string, std::string>> keys;
    for (const CheckedChange& item : checked) {
      if (item.change->seq > hwm && item.findings.empty()) {
        keys.emplace_back(item.change->dataset, item.change->key);
      }
    }
    records.Prefetch(keys);
  }
  Quarantine quarantine(db_);
  ConflictBook conflicts(db_);
  ReturnBook returns(db_);
  // Asked for every change: answered once per month of the batch.
  std::map<std::string, bool> closed;
  auto month_closed = [this, &agent, &closed](const std::string& p) {
    auto it = closed.find(p);
    if (it == closed.end()) it = closed.emplace(p, month_closed_(agent.practice, p)).first;
    return it->second;
  };
  std::set<std::string> touched;                            // periods of the practice to re-total
  std::optional<std::set<std::string>> agents_of_practice;  // read when first needed
  auto practice_agents = [&]() -> const std::set<std::string>& {
    if (!agents_of_practice) agents_of_practice = agents.AgentIdsOf(agent.practice);
    return *agents_of_practice;
  };

  for (const CheckedChange& item : checked) {
    const protocol::Change& c = *item.change;
    if (c.seq <= hwm) continue;  // already applied: a resent batch has no effect
    bool upsert = c.op == protocol::ChangeOp::kUpsert;
    std::string fields_json = upsert ? CanonicalJson(c.fields) : "";
    const DatasetDecl* dataset = datasets::Find(c.dataset);
    // Kept, never lost, but not applied: the practice is told why, and its
    // PCN manager sees it on the return.
    auto keep = [&](const std::vector<FieldFinding>& findings, const std::string& period,
                    RefusalCode code) {
      quarantine.Keep(agent.agent_id, c.seq, agent.practice, c.dataset, c.key, period, fields_json,
                      FindingsText(findings), code, now);
      result.outcomes.push_back({c.seq, protocol::Outcome::kInvalid, findings});
    };
    if (!item.findings.empty()) {
      keep(item.findings, dataset ? RecordPeriod(*dataset, c.fields) : "", RefusalCode::kInvalid);
      continue;
    }
    std::string period = upsert ? RecordPeriod(*dataset, c.fields) : "";
    bool is_submission = dataset == &datasets::Submission();
    std::optional<HeldRow> held = records.Take(c.dataset, c.key);
    if (held) {
      if (period.empty()) period = held->period;
      // The same value again (a practice enrolled anew re-importing its
      // files) is no change: nothing to write, revise or resolve.
      if (upsert && held->fields == fields_json) {
        ++result.accepted;
        continue;
      }
      // A central correction made since this change's base: keep both and
      // let a person decide, never overwrite silently. What the practice's
      // own agents wrote, this one or one enrolled before it, is the
      // practice's to change.
      if (held->origin != agent.agent_id && held->version != c.base_version &&
          practice_agents().count(held->origin) == 0) {
        conflicts.Add({agent.practice, c.dataset, c.key, agent.agent_id, c.seq,
                       std::string(protocol::ChangeOpName(c.op)), fields_json, c.version,
                       c.base_version, held->version},
                      now);
        result.outcomes.push_back(
            {c.seq,
             protocol::Outcome::kConflict,
             {{"record", "changed centrally since version " + std::to_string(c.base_version)}}});
        continue;
      }
    }
    if (is_submission && !upsert) {
      keep({{"op", "a submission cannot be withdrawn; ask the PCN manager"}}, period,
           RefusalCode::kInvalid);
      continue;
    }
    ReturnKey return_key{agent.practice, is_submission ? c.fields.at("dataset") : c.dataset,
                         period};
    if (!period.empty() && month_closed(period)) {
      keep({{"period", "period_closed: " + period +
                           " is closed by the ICS; the change is kept and shown to the PCN "
                           "manager, who can correct the record"}},
           period, RefusalCode::kPeriodClosed);
      continue;
    }
    if (!period.empty() && returns.Get(return_key).state == ReturnState::kLocked) {
      keep({{"period", "the " + return_key.ToString() + " return is locked; ask the PCN manager"}},
           period, RefusalCode::kReturnLocked);
      continue;
    }
    BatchedWrite write{c.dataset,      c.key,          period, std::nullopt, c.version,
                       c.base_version, agent.agent_id, c.seq,  std::nullopt};
    if (upsert) write.fields = std::move(fields_json);
    if (held) write.previous = std::move(held->fields);
    records.Write(std::move(write));
    if (is_submission) {
      // The changes made before it come first in the return's history, and
      // their events follow them in the change feed.
      records.Flush();
      returns.FinishChanges(agent.agent_id, now, month_closed);
      // Submitting what is already submitted or approved changes nothing.
      if (NextState(returns.Get(return_key).state, ReturnAction::kSubmit)) {
        returns.Apply(return_key, ReturnAction::kSubmit, agent.agent_id, "", now);
      }
    } else if (!period.empty()) {
      returns.NoteChange(return_key, !upsert);
      touched.insert(period);
    }
    ++result.accepted;
  }
  records.Flush();
  returns.FinishChanges(agent.agent_id, now, month_closed);
  for (const std::string& period : touched) MarkMonthChanged(db_, agent.practice, period);
  std::uint64_t new_hwm = std::max(hwm, batch.to_seq);
  agents.Advance(agent.agent_id, new_hwm, now);
  result.acknowledged_seq = new_hwm;
  return result;
}

}  // namespace tributary::server
