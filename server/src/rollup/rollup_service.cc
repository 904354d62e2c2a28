#include "rollup/rollup_service.h"

#include "periods/period_service.h"
#include "reconcile/record_readings.h"
#include "rollup/rollup_readings.h"
#include "store/server_store.h"
#include "tributary/common/enum_names.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

constexpr EnumNames<RollupBasis, 3> kBases{{{RollupBasis::kLatest, "latest"},
                                            {RollupBasis::kApproved, "approved"},
                                            {RollupBasis::kPublished, "published"}}};

std::vector<RollupMonthAnswer> PublishedAnswers(ServerStore& store, const RollupQuery& query) {
  std::vector<std::string> periods;
  if (!query.period.empty()) {
    periods.push_back(query.period);
  } else {
    for (const PeriodSummary& s : PeriodService(store).Summaries(query.ics)) {
      if (!s.versions.empty()) periods.push_back(s.status.period);
    }
  }
  std::vector<RollupMonthAnswer> answers;
  for (const std::string& period : periods) {
    std::optional<PublishedMonth> month =
        PeriodService(store).ReadPublished(query.ics, period, query.version);
    if (!month) {
      if (query.period.empty()) continue;  // a month with records but no version yet
      throw Error::NotFound(
          (query.version ? "no version " + std::to_string(*query.version) : "no version") + " of " +
          period + " has been published for " + query.ics);
    }
    RollupMonthAnswer answer{
        period, std::make_shared<const OrgHierarchy>(month->organisations), month->version, {}};
    for (RollupRow& row : month->figures) {
      if (PassesFilter(row, query.filter)) answer.rows.push_back(std::move(row));
    }
    answers.push_back(std::move(answer));
  }
  return answers;
}

}  // namespace

std::string_view RollupBasisName(RollupBasis basis) { return NameOf(kBases, basis); }

std::optional<RollupBasis> ParseRollupBasis(std::string_view name) { return ValueOf(kBases, name); }

bool PassesFilter(const RollupRow& row, const RollupFilter& filter) {
  return (!filter.level || row.level == LevelName(*filter.level)) &&
         (filter.code.empty() || row.code == filter.code) &&
         (filter.dataset.empty() || row.dataset == filter.dataset);
}

std::map<std::string, PracticeMonth> GroupByPractice(const std::vector<ServerRecord>& records) {
  std::map<std::string, PracticeMonth> data;
  std::map<std::string, std::string> latest_extract;
  for (const ServerRecord& r : records) {
    PracticeMonth& m = data[r.practice];
    if (r.dataset == "workforce") {
      m.workforce.push_back(r.fields);
    } else if (r.dataset == "appointments") {
      m.appointments.push_back(r.fields);
    } else if (r.dataset == "list_size") {
      const std::string& extract = r.fields.at("extract_date");
      std::string& latest = latest_extract[r.practice];
      if (extract > latest) {
        latest = extract;
        m.list_size = std::stoll(r.fields.at("patients"));
      }
    }
  }
  return data;
}

std::vector<RollupMonthAnswer> AnswerRollups(ServerStore& store, const RollupQuery& query) {
  if (query.basis == RollupBasis::kPublished) return PublishedAnswers(store, query);
  std::shared_ptr<const OrgHierarchy> hierarchy = store.Hierarchy();
  std::vector<std::string> periods = query.period.empty() ? RecordReadings(store).Periods()
                                                          : std::vector<std::string>{query.period};
  std::vector<RollupMonthAnswer> answers;
  for (const std::string& period : periods) {
    // One organisation's figures need only its own practices' totals and
    // returns (a practice missing from the hierarchy is its own only practice).
    std::optional<std::vector<std::string>> practices;
    if (!query.filter.code.empty()) {
      practices = hierarchy->PracticesUnder(query.filter.code, period + "-01");
      if (practices->empty()) practices->push_back(query.filter.code);
    }
    RollupMonth inputs = query.basis == RollupBasis::kApproved
                             ? RollupReadings(store).Approved(period, practices)
                             : RollupReadings(store).Latest(period, practices);
    answers.push_back(
        {period, hierarchy, std::nullopt,
         ComputeRollups(*hierarchy, period, inputs.totals, inputs.returns, query.filter)});
  }
  return answers;
}

std::vector<RollupRow> QueryRollups(ServerStore& store, const RollupQuery& query) {
  std::vector<RollupRow> rows;
  for (RollupMonthAnswer& answer : AnswerRollups(store, query)) {
    rows.insert(rows.end(), std::make_move_iterator(answer.rows.begin()),
                std::make_move_iterator(answer.rows.end()));
  }
  return rows;
}

}  // namespace tributary::server
