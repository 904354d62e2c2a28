// What the server told the practice (GET /v1/sync/pull), inside the agent's
// store: each return's state and revision with the PCN manager's query, the
// cross-practice findings, the months its ICS closed, its place in the
// hierarchy, and central corrections, which change the records themselves.
//
// Notices are applied with the new cursor in the caller's one transaction,
// skipping any at or before the cursor already held, so each takes effect
// exactly once. Not thread-safe. Failures throw tributary::Error: kProtocol
// for a notice the agent cannot read, kDatabase.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/agent_state.h"
#include "tributary/common/dataset.h"
#include "tributary/common/sqlite.h"
#include "tributary/protocol/messages.h"

namespace tributary::agent {

// A return's state as the server last reported it.
struct ServerReturn {
  std::string dataset;
  std::string period;
  std::string state;
  std::int64_t revision = 0;
  std::string comment;  // the PCN manager's query, when queried
};

// A finding the server made looking across practices or months, on one of
// this practice's returns (e.g. a person's FTE over 1.0 in total).
struct ReturnFinding {
  std::string dataset;
  std::string period;
  std::string finding;  // "reason [rule]"
};

class ServerFeed {
 public:
  // `db` and `state` must outlive the feed.
  ServerFeed(sqlite::Database& db, AgentState& state) : db_(db), state_(state) {}

  static void CreateSchema(sqlite::Database& db);

  // Applies the notices after the cursor held and moves it to `cursor`;
  // a lower `cursor` with no notices (a server restored from a backup, whose
  // notices end before ours) moves it back.
  // Returns how many were new. A kind this agent does not know (from a newer
  // server) is skipped.
  std::size_t Apply(const std::vector<protocol::Notice>& notices, std::uint64_t cursor);

  std::vector<ServerReturn> Returns();
  std::vector<std::string> ClosedPeriods();
  std::vector<ReturnFinding> ReturnFindings();
  // The practice's PCN, place and ICS (codes and names) on `iso_date`.
  std::optional<FieldMap> HierarchyOn(const std::string& iso_date);

 private:
  // A central correction (or a conflict's resolution): the record takes the
  // server's value and version, with no outbox entry; unless a change of the
  // practice's own to it is still waiting to be sent.
  void ApplyCorrection(const FieldMap& notice);

  sqlite::Database& db_;
  AgentState& state_;
};

}  // namespace tributary::agent
