#include "invariants.h"

#include <cstdint>

#include "agent_store_files.h"
#include "tributary/common/sqlite.h"

namespace tributary::testing {
namespace {

// The outbox's changes waiting to be sent, and the highest of those kept
// after the server acknowledged them (for a restored server to be sent again).
struct OutboxSpan {
  std::int64_t count = 0;
  std::int64_t min_seq = 0;
  std::int64_t max_seq = 0;
  std::int64_t max_kept_seq = 0;
};

OutboxSpan ReadOutbox(const AgentUnderTest& agent) {
  auto db = OpenAgentStore(agent.data_dir());
  auto stmt = db.Prepare(
      "SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0) FROM outbox "
      "WHERE acknowledged_ms IS NULL");
  stmt.Step();
  OutboxSpan span{stmt.ColumnInt(0), stmt.ColumnInt(1), stmt.ColumnInt(2), 0};
  auto kept =
      db.Prepare("SELECT coalesce(max(seq), 0) FROM outbox WHERE acknowledged_ms IS NOT NULL");
  kept.Step();
  span.max_kept_seq = kept.ColumnInt(0);
  return span;
}

std::string Practice(const AgentUnderTest& agent) { return agent.practice() + ": "; }

}  // namespace

std::vector<std::string> CheckNothingLost(const ServerUnderTest& server,
                                          const AgentUnderTest& agent) {
  std::vector<std::string> violations;
  auto fail = [&](const std::string& what) { violations.push_back(Practice(agent) + what); };
  ServerLog log = ReadServerLog(server, agent.practice());
  auto acknowledged = static_cast<std::int64_t>(AgentAcknowledgedSeq(agent));
  auto last = static_cast<std::int64_t>(AgentLastSeq(agent));
  OutboxSpan outbox = ReadOutbox(agent);

  if (log.changes != log.distinct_seqs) {
    fail("the server logged " + std::to_string(log.changes) + " changes but only " +
         std::to_string(log.distinct_seqs) + " distinct seqs (a change applied twice)");
  }
  if (log.distinct_seqs != log.high_water_mark || log.max_seq != log.high_water_mark) {
    fail("the server's change log (" + std::to_string(log.distinct_seqs) + " seqs, max " +
         std::to_string(log.max_seq) + ") is not exactly 1.." +
         std::to_string(log.high_water_mark) + " (its high-water mark)");
  }
  if (acknowledged > log.high_water_mark) {
    fail("the agent counts seq " + std::to_string(acknowledged) +
         " acknowledged but the server holds only up to " + std::to_string(log.high_water_mark) +
         " (acknowledged changes lost)");
  }
  if (log.high_water_mark > last) {
    fail("the server holds seq " + std::to_string(log.high_water_mark) +
         " but the agent has written only up to " + std::to_string(last));
  }
  if (outbox.count != last - acknowledged ||
      (outbox.count > 0 && (outbox.min_seq != acknowledged + 1 || outbox.max_seq != last))) {
    fail("the outbox holds " + std::to_string(outbox.count) + " changes (seqs " +
         std::to_string(outbox.min_seq) + ".." + std::to_string(outbox.max_seq) +
         "), not exactly those after the acknowledged seq " + std::to_string(acknowledged) +
         " up to the last seq " + std::to_string(last) + " (unsent changes lost)");
  }
  if (outbox.max_kept_seq > acknowledged) {
    fail("the outbox keeps seq " + std::to_string(outbox.max_kept_seq) +
         " as acknowledged, past the acknowledged seq " + std::to_string(acknowledged) +
         " (an unsent change would never be sent)");
  }
  return violations;
}

std::vector<std::string> CheckConverged(const ServerUnderTest& server,
                                        const AgentUnderTest& agent) {
  std::vector<std::string> violations = CheckNothingLost(server, agent);
  auto fail = [&](const std::string& what) { violations.push_back(Practice(agent) + what); };
  ServerLog log = ReadServerLog(server, agent.practice());
  auto acknowledged = static_cast<std::int64_t>(AgentAcknowledgedSeq(agent));
  auto last = static_cast<std::int64_t>(AgentLastSeq(agent));
  if (acknowledged != last || log.high_water_mark != last) {
    fail("after a clean sync: last seq " + std::to_string(last) + ", acknowledged " +
         std::to_string(acknowledged) + ", server high-water mark " +
         std::to_string(log.high_water_mark) + " (they must be equal)");
  }
  std::vector<std::string> agent_rows = AgentRecords(agent);
  std::vector<std::string> server_rows = ServerRecords(server, agent.practice());
  if (agent_rows != server_rows) {
    fail("after a clean sync the agent holds " + std::to_string(agent_rows.size()) +
         " records and the server " + std::to_string(server_rows.size()) + ", and they differ");
  }
  return violations;
}

std::vector<std::string> CheckRollups(ServerUnderTest& server) {
  RunResult r = server.Command({"rollups", "verify"});
  if (r.exit_code == 0) return {};
  return {"rollups verify failed (" + std::to_string(r.exit_code) + "): " + r.err};
}

}  // namespace tributary::testing
