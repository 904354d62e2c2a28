#include "validation/findings_cache.h"

#include "reconcile/record_readings.h"
#include "store/server_store.h"
#include "validation/findings_service.h"

namespace tributary::server {

std::shared_ptr<const FindingsOfMonth> FindingsCache::For(const std::string& period) {
  std::lock_guard lock(mutex_);
  // Read before computing: a change landing meanwhile makes the next
  // request compute again.
  std::int64_t last_change = RecordReadings(store_).LastChangeId();
  std::shared_ptr<const OrgHierarchy> hierarchy = store_.Hierarchy();
  auto it = kept_.find(period);
  if (it != kept_.end() && it->second.last_change_id == last_change &&
      it->second.hierarchy == hierarchy) {
    return it->second.findings;
  }
  if (it == kept_.end() && kept_.size() >= kMonthsKept) kept_.erase(kept_.begin());
  Kept& entry = kept_[period];
  entry.findings = std::make_shared<const FindingsOfMonth>(CrossPracticeFindings(store_, period));
  entry.last_change_id = last_change;
  entry.hierarchy = std::move(hierarchy);
  return entry.findings;
}

}  // namespace tributary::server
