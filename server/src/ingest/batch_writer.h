// Applies one validated push batch inside the server's store, exactly once
// (docs/design.md invariant 2): the batch's changes and the agent's new
// high-water mark are written in the caller's one transaction. A change at
// or below the mark was applied before and is skipped; a batch starting past
// mark + 1 is a gap and writes nothing.
//
// Each change after the mark is applied and logged, or kept but not applied
// (reconcile/quarantine.h: invalid, its month closed by the ICS, its return
// locked), or kept as a conflict when a central change replaced its base
// (reconcile/conflict_book.h). Every return it touches moves to its next
// revision once (returns/return_book.h); every practice-month it touches is
// marked changed (reconcile/month_changes.h).
//
// Not thread-safe on its own; ServerStore serialises it. Failures throw
// tributary::Error: kNotFound for an unknown agent, kDatabase.
#pragma once

#include <cstdint>
#include <vector>

#include "database/connection.h"
#include "enrol/agent_registry.h"
#include "reconcile/month_changes.h"
#include "tributary/common/dataset.h"
#include "tributary/protocol/messages.h"

namespace tributary::server {

// A change after the ingest service has validated it.
struct CheckedChange {
  const protocol::Change* change = nullptr;
  std::vector<FieldFinding> findings;  // empty: valid
};

struct ApplyResult {
  bool gap = false;  // from_seq was past the high-water mark + 1
  std::uint64_t acknowledged_seq = 0;
  std::uint64_t accepted = 0;
  std::vector<protocol::ChangeOutcome> outcomes;  // invalid and conflicting changes
};

class BatchWriter {
 public:
  // `db` must outlive the writer.
  BatchWriter(db::Connection& db, MonthClosed month_closed)
      : db_(db), month_closed_(std::move(month_closed)) {}

  ApplyResult Apply(const AgentIdentity& agent, const protocol::PushBatch& batch,
                    const std::vector<CheckedChange>& checked, std::int64_t now_ms);

 private:
  db::Connection& db_;
  MonthClosed month_closed_;
};

}  // namespace tributary::server
