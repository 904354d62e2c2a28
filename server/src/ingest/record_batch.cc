#include "ingest/record_batch.h"

namespace tributary::server {

void RecordBatch::Prefetch(const std::vector<std::pair<std::string, std::string>>& keys) {
  std::map<std::string, std::vector<std::string>> by_dataset;
  for (const auto& [dataset, key] : keys) {
    if (known_.count({dataset, key}) == 0) by_dataset[dataset].push_back(key);
  }
  for (const auto& [dataset, list] : by_dataset) {
    std::map<std::string, HeldRow> held = log_.FindMany(practice_, dataset, list);
    for (const std::string& key : list) {
      auto it = held.find(key);
      known_[{dataset, key}] =
          it == held.end() ? std::nullopt : std::optional<HeldRow>(std::move(it->second));
    }
  }
}

std::optional<HeldRow> RecordBatch::Find(const std::string& dataset, const std::string& key) {
  auto it = known_.find({dataset, key});
  if (it == known_.end())
    it = known_.emplace(Key{dataset, key}, log_.Find(practice_, dataset, key)).first;
  return it->second;
}

void RecordBatch::Write(const RecordWrite& c, const std::optional<std::string>& previous) {
  Key key{std::string(c.dataset), std::string(c.key)};
  // One statement never upserts a record twice: send what is queued first.
  if (c.fields && queued_upserts_.count(key) != 0) Flush();
  Queued q{key.first,
           key.second,
           std::string(c.period),
           std::string(c.origin),
           c.fields ? std::optional<std::string>(*c.fields) : std::nullopt,
           previous,
           c.version,
           c.base_version,
           c.seq};
  if (c.fields) {
    queued_upserts_.insert(key);
    known_[key] = HeldRow{*c.fields, c.version, q.origin, q.period};
  } else {
    known_[key] = std::nullopt;
  }
  queued_.push_back(std::move(q));
}

void RecordBatch::Flush() {
  if (queued_.empty()) return;
  std::vector<std::pair<RecordWrite, const std::optional<std::string>*>> writes;
  writes.reserve(queued_.size());
  for (const Queued& q : queued_) {
    RecordWrite w{practice_, q.dataset,      q.key,    q.period, q.fields ? &*q.fields : nullptr,
                  q.version, q.base_version, q.origin, q.seq};
    writes.emplace_back(w, &q.previous);
  }
  log_.WriteMany(writes, now_ms_);
  queued_.clear();
  queued_upserts_.clear();
}

}  // namespace tributary::server
