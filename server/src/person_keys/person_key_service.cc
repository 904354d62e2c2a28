#include "person_keys/person_key_service.h"

namespace tributary::server {

PersonKeyAnswer PersonKeyService::Evaluate(const AgentIdentity& agent,
                                           const std::vector<oprf::Element>& blinded) {
  PersonKeyAnswer answer;
  answer.daily_limit = daily_limit_;
  std::vector<oprf::Element> evaluated;
  evaluated.reserve(blinded.size());
  for (const oprf::Element& element : blinded) {
    evaluated.push_back(oprf::BlindEvaluate(key_, element));  // throws on a bad element
  }
  std::optional<std::int64_t> used = store_.TakePersonKeyEvaluations(
      agent, static_cast<std::int64_t>(blinded.size()), daily_limit_);
  if (!used) {
    answer.refused = true;
    return answer;
  }
  answer.used_today = *used;
  answer.evaluated = std::move(evaluated);
  return answer;
}

}  // namespace tributary::server
