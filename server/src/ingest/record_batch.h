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

class RecordBatch {
 public:
  // One practice's changes, received at `now_ms`; `log` must outlive the batch.
  RecordBatch(RecordLog& log, std::string practice, std::int64_t now_ms)
      : log_(log), practice_(std::move(practice)), now_ms_(now_ms) {}

  // Reads what (dataset, key) pairs hold now, for Find.
  void Prefetch(const std::vector<std::pair<std::string, std::string>>& keys);
  // The record as held now, after the writes queued before this.
  std::optional<HeldRow> Find(const std::string& dataset, const std::string& key);
  // Queues the change (copied) with `previous`, the fields it replaces.
  void Write(const RecordWrite& change, const std::optional<std::string>& previous);
  // Writes and logs every queued change, in order.
  void Flush();

 private:
  struct Queued {
    std::string dataset, key, period, origin;
    std::optional<std::string> fields, previous;
    std::uint64_t version = 0, base_version = 0, seq = 0;
  };
  using Key = std::pair<std::string, std::string>;  // dataset, key

  RecordLog& log_;
  std::string practice_;
  std::int64_t now_ms_;
  // What each key holds, as read or as queued (nullopt: no record).
  std::map<Key, std::optional<HeldRow>> known_;
  std::vector<Queued> queued_;
  std::set<Key> queued_upserts_;
};

}  // namespace tributary::server
