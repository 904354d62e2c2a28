#include "ingest/record_batch.h"

namespace tributary::server {

void RecordBatch::Prefetch(const std::vector<std::pair<std::string, std::string>>& keys) {
  std::map<std::string, std::vector<std::string>> by_dataset;
  for (const auto& [dataset, key] : keys) by_dataset[dataset].push_back(key);
  for (auto& [dataset, list] : by_dataset) {
    std::map<std::string, HeldRow> held = log_.FindMany(practice_, dataset, list);
    for (std::string& key : list) {
      auto it = held.find(key);
      std::optional<HeldRow> row;
      if (it != held.end()) row = std::move(it->second);
      known_.insert_or_assign(Key{dataset, std::move(key)}, std::move(row));
    }
  }
}

std::optional<HeldRow> RecordBatch::Take(const std::string& dataset, const std::string& key) {
  Key k{dataset, key};
  if (queued_keys_.count(k) != 0) Flush();
  auto it = known_.find(k);
  if (it == known_.end()) return log_.Find(practice_, dataset, key);
  std::optional<HeldRow> row = std::move(it->second);
  known_.erase(it);
  return row;
}

void RecordBatch::Write(BatchedWrite change) {
  Key k{change.dataset, change.key};
  if (queued_keys_.count(k) != 0) Flush();
  known_.erase(k);  // read again, after the flush, if asked for again
  queued_keys_.insert(std::move(k));
  queued_.push_back(std::move(change));
}

void RecordBatch::Flush() {
  if (queued_.empty()) return;
  std::vector<std::pair<RecordWrite, const std::optional<std::string>*>> writes;
  writes.reserve(queued_.size());
  for (const BatchedWrite& q : queued_) {
    RecordWrite w{practice_, q.dataset,      q.key,    q.period, q.fields ? &*q.fields : nullptr,
                  q.version, q.base_version, q.origin, q.seq};
    writes.emplace_back(w, &q.previous);
  }
  log_.WriteMany(writes, now_ms_);
  queued_.clear();
  queued_keys_.clear();
}

}  // namespace tributary::server
