#include "person_keys/person_key_service.h"

#include "person_keys/evaluation_budget.h"
#include "tributary/common/dates.h"

namespace tributary::server {

// Takes `count` evaluations from the agent's practice's allowance for today
// (UTC) and gives today's total; past the daily limit takes nothing, audits
// the refusal (the agent the actor) and gives nullopt. One unit of work.
std::optional<std::int64_t> PersonKeyService::TakeEvaluations(const AgentIdentity& agent,
                                                              std::int64_t count) {
  return store_.Write([&](StoreTransaction& t) {
    std::string day = FormatUtc(t.NowMs()).substr(0, 10);
    EvaluationBudget budget(t.db());
    std::optional<std::int64_t> total = budget.Take(agent.practice, day, count, daily_limit_);
    if (!total) {
      t.Audit("agent:" + agent.agent_id, "person_keys_refused", agent.practice,
              "asked for " + std::to_string(count) + " person keys with " +
                  std::to_string(budget.Used(agent.practice, day)) + " already made on " + day +
                  "; the allowance is " + std::to_string(daily_limit_) + " a day");
    }
    return total;
  });
}

PersonKeyAnswer PersonKeyService::Evaluate(const AgentIdentity& agent,
                                           const std::vector<oprf::Element>& blinded) {
  PersonKeyAnswer answer;
  answer.daily_limit = daily_limit_;
  std::vector<oprf::Element> evaluated;
  evaluated.reserve(blinded.size());
  for (const oprf::Element& element : blinded) {
    evaluated.push_back(oprf::BlindEvaluate(key_, element));  // throws on a bad element
  }
  std::optional<std::int64_t> used =
      TakeEvaluations(agent, static_cast<std::int64_t>(blinded.size()));
  if (!used) {
    answer.refused = true;
    return answer;
  }
  answer.used_today = *used;
  answer.evaluated = std::move(evaluated);
  return answer;
}

}  // namespace tributary::server
