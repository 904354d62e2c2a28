#include "validation/findings_service.h"

#include "rollup/rollup_service.h"

namespace tributary::server {

FindingsByReturn CrossPracticeFindings(ServerStore& store, const std::string& period) {
  constexpr std::size_t kMonths = 13;  // the month and twelve before it
  std::vector<std::string> periods;
  for (const std::string& p : store.Periods()) {
    if (p <= period) periods.push_back(p);
  }
  if (periods.size() > kMonths) periods.erase(periods.begin(), periods.end() - kMonths);
  std::map<std::string, std::map<std::string, PracticeMonth>> months;
  for (const std::string& p : periods) months[p] = GroupByPractice(store.RecordsInPeriod(p));
  FindingsByReturn out;
  OrgHierarchy hierarchy(store.Organisations());
  for (const CrossPracticeFinding& f : CheckAcrossPractices(hierarchy, period, months)) {
    out[f.practice][f.dataset].push_back(f.reason + " [" + f.rule + "]");
  }
  return out;
}

}  // namespace tributary::server
