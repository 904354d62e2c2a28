// The store's side of person keys (person_keys/person_key_service.h): each
// practice's daily allowance of OPRF evaluations.
#include "audit/audit_log.h"
#include "person_keys/evaluation_budget.h"
#include "store/server_store.h"
#include "tributary/common/dates.h"

namespace tributary::server {

std::optional<std::int64_t> ServerStore::TakePersonKeyEvaluations(const AgentIdentity& agent,
                                                                  std::int64_t count,
                                                                  std::int64_t daily_limit) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  std::int64_t now = NowMs();
  std::string day = FormatUtc(now).substr(0, 10);
  EvaluationBudget budget(db_);
  std::optional<std::int64_t> total = budget.Take(agent.practice, day, count, daily_limit);
  if (!total) {
    AuditLog(db_, audit_key_)
        .Append("agent:" + agent.agent_id, "person_keys_refused", agent.practice,
                "asked for " + std::to_string(count) + " person keys with " +
                    std::to_string(budget.Used(agent.practice, day)) + " already made on " + day +
                    "; the allowance is " + std::to_string(daily_limit) + " a day",
                now);
  }
  txn.Commit();
  return total;
}

}  // namespace tributary::server
