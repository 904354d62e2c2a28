#include "reporting/reporting_refresher.h"

#include <map>

#include "reporting/reporting_service.h"
#include "rollup/rollup_service.h"
#include "store/server_store.h"
#include "tributary/common/log.h"

namespace tributary::server {

std::vector<ReportingMonth> SplitByIcs(const std::string& period, const OrgHierarchy& hierarchy,
                                       std::vector<RollupRow> rows) {
  std::string day = period + "-01";
  std::map<std::string, ReportingMonth> by_ics;
  for (OrgLevel level : {OrgLevel::kIcs, OrgLevel::kPlace, OrgLevel::kPcn, OrgLevel::kPractice}) {
    for (const Organisation* o : hierarchy.At(level, day)) {
      std::optional<std::string> ics = hierarchy.IcsOf(o->code, day);
      if (!ics) continue;  // its chain is broken that day
      ReportingOrg org{
          o->code,       o->name,    std::string(OrgTypeName(o->level)), o->parent, "", "", *ics,
          o->valid_from, o->valid_to};
      if (level == OrgLevel::kPractice) {
        org.pcn = hierarchy.AncestorOf(o->code, OrgLevel::kPcn, day).value_or("");
        org.place = hierarchy.AncestorOf(o->code, OrgLevel::kPlace, day).value_or("");
      } else if (level == OrgLevel::kPcn) {
        org.place = o->parent;
      }
      ReportingMonth& month = by_ics[*ics];
      month.orgs.push_back(std::move(org));
    }
  }
  for (RollupRow& row : rows) {
    std::optional<std::string> ics = hierarchy.IcsOf(row.code, day);
    if (ics) by_ics[*ics].rows.push_back(std::move(row));
  }
  std::vector<ReportingMonth> months;
  for (auto& [ics, month] : by_ics) {
    month.period = period;
    month.ics = ics;
    months.push_back(std::move(month));
  }
  return months;
}

ReportingRefreshed ReportingRefresher::Refresh(Who who) {
  std::lock_guard lock(mutex_);
  if (who == Who::kLeaderOnly && !store_.Leads(LeadWork::kReporting)) return {};
  ReportingService reporting(store_);
  std::optional<ReportingWork> work = reporting.Pending();
  if (!work || work->periods.empty()) return {};
  std::shared_ptr<const OrgHierarchy> hierarchy = store_.Hierarchy();
  ReportingRefreshed refreshed;
  for (const std::string& period : work->periods) {
    RollupQuery query;
    query.period = period;
    std::vector<std::string> icss;
    for (const ReportingMonth& month :
         SplitByIcs(period, *hierarchy, QueryRollups(store_, query))) {
      icss.push_back(month.ics);
      if (reporting.WriteMonth(month, work->mark)) refreshed.rows += month.rows.size();
    }
    reporting.KeepIcss(period, icss, work->mark);
    ++refreshed.months;
  }
  reporting.Finish(*work);
  log::Info("reporting_refreshed", "months=" + std::to_string(refreshed.months) +
                                       " rows=" + std::to_string(refreshed.rows));
  return refreshed;
}

}  // namespace tributary::server
