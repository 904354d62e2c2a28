// The outbox inside the agent's store: every change waiting for the server,
// numbered 1, 2, 3, ... without gaps and never reused (docs/design.md
// invariants 1 and 2), and what the server said of the changes it did not
// simply accept.
//
// Works on the caller's connection inside the caller's transaction, so a
// change and its outbox entry commit together. Not thread-safe. Failures
// throw tributary::Error(kDatabase).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/agent_state.h"
#include "tributary/common/hlc.h"
#include "tributary/common/sqlite.h"

namespace tributary::agent {

// One change in the outbox: waiting for the server, or acknowledged and
// kept for a while in case the server must be given it again.
struct OutboxEntry {
  std::uint64_t seq = 0;
  std::string dataset;
  std::string key;
  bool is_delete = false;
  std::string fields_json;  // canonical JSON of the record, empty for a delete
  HlcTimestamp version = 0;
  HlcTimestamp base_version = 0;
};

// What the server said of a change it did not simply accept.
struct PushFinding {
  std::uint64_t seq;
  std::string outcome;  // "invalid", "conflict"
  std::string detail;
};

// Appends to the outbox inside the caller's transaction. Sequence numbers are
// never reused, even after acknowledged entries are removed, so the server's
// high-water mark stays meaningful; the last one is saved by Finish().
//
// Coalescing: a change to a record whose previous change has not been sent
// yet replaces that change in place — same seq, the base version the server
// knows, the new value — so the server gets one change, not the history. A
// change already sent in any push attempt (seq <= "attempted_seq") is never
// touched: the server may hold it, and rewriting it would lose the new value.
class OutboxWriter {
 public:
  // `db` and `state` must outlive the writer.
  OutboxWriter(sqlite::Database& db, AgentState& state);

  // `fields_json` nullptr: a delete. `coalesce` false: a new entry even when
  // the record has one unsent (a held submission released after the records
  // it vouches for must follow them, not take an earlier place).
  void Append(const std::string& dataset, const std::string& key, const std::string* fields_json,
              HlcTimestamp version, HlcTimestamp base_version, bool coalesce = true);
  // Saves the last seq issued; call before the transaction commits.
  void Finish();

 private:
  AgentState& state_;
  std::uint64_t seq_;
  std::uint64_t attempted_;
  bool had_unsent_;
  sqlite::Statement insert_;
  sqlite::Statement unsent_;
  sqlite::Statement replace_;
};

// How long acknowledged changes are kept for sending again to a server
// restored from a backup (docs/operations.md "Backup and restore"): longer
// than any sensible interval between the server's backups.
inline constexpr std::int64_t kResendWindowMs = 35LL * 24 * 60 * 60 * 1000;

class Outbox {
 public:
  // `db` must outlive the outbox.
  explicit Outbox(sqlite::Database& db) : db_(db) {}

  static void CreateSchema(sqlite::Database& db);

  // The entries after `after_seq`, oldest first, at most `limit`.
  std::vector<OutboxEntry> Pending(std::uint64_t after_seq, std::size_t limit);
  std::uint64_t Count();
  // The newest entry for the record still waiting, if any.
  std::optional<std::uint64_t> WaitingSeqOf(const std::string& dataset, const std::string& key);
  // The server holds the entries up to `seq`: they stop waiting, and are
  // kept for kResendWindowMs in case the server is restored from a backup
  // older than them; older acknowledged entries are removed.
  void Acknowledge(std::uint64_t seq, std::int64_t now_ms);
  // The server holds only up to `to_seq` of the `acknowledged` it once did
  // (restored from a backup): the entries after it wait again. False, and
  // nothing changes, when some of them are no longer kept.
  bool Rewind(std::uint64_t to_seq, std::uint64_t acknowledged);

  void KeepFinding(const PushFinding& finding);
  // The latest findings first, at most `limit`.
  std::vector<PushFinding> Findings(std::size_t limit);

 private:
  sqlite::Database& db_;
};

}  // namespace tributary::agent
