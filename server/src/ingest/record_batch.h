// One push batch's record changes, read and written in bulk: the rows the
// batch's keys hold now are read up front, hundreds of keys to a statement
// (RecordLog::FindMany), and its writes are queued and sent dozens of rows to
// a statement (RecordLog::WriteMany). A batch of 5,000 changes then costs
// PostgreSQL about two hundred round trips instead of 15,000; SQLite runs
// fewer statements too.
//
// Find sees the writes queued before it. Flush() must come before anything
// else reads the records or the change log in the same transaction (a
// return's event notes the change log's last id: feed/feed_journal.h).
// Works inside the caller's transaction; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "reconcile/record_log.h"

namespace tributary::server {

// A change to queue, owning its texts (moved in, never copied).
struct BatchedWrite {
  std::string dataset, key, period;
  std::optional<std::string> fields;  // canonical JSON; nullopt: a delete
  std::uint64_t version = 0, base_version = 0;
  std::string origin;
  std::uint64_t seq = 0;
  std::optional<std::string> previous;  // the fields it replaces
};

class RecordBatch {
 public:
  // One practice's changes, received at `now_ms`; `log` must outlive the batch.
  RecordBatch(RecordLog& log, std::string practice, std::int64_t now_ms)
      : log_(log), practice_(std::move(practice)), now_ms_(now_ms) {}

  // Reads what (dataset, key) pairs hold now, for Take.
  void Prefetch(const std::vector<std::pair<std::string, std::string>>& keys);
  // The record as held now, after the writes queued before this; what was
  // read ahead for it is handed over, so asking again reads it again.
  std::optional<HeldRow> Take(const std::string& dataset, const std::string& key);
  // Queues the change. A record already queued sends the queue first, so one
  // statement never names a record twice.
  void Write(BatchedWrite change);
  // Writes and logs every queued change, in order.
  void Flush();

 private:
  using Key = std::pair<std::string, std::string>;  // dataset, key

  RecordLog& log_;
  std::string practice_;
  std::int64_t now_ms_;
  // What each key read ahead holds (nullopt: no record), until taken.
  std::map<Key, std::optional<HeldRow>> known_;
  std::vector<BatchedWrite> queued_;
  std::set<Key> queued_keys_;
};

}  // namespace tributary::server
