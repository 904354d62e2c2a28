#include "reconcile/correction_service.h"

#include "periods/period_book.h"
#include "reconcile/corrections.h"
#include "reconcile/record_log.h"
#include "store/server_store.h"

namespace tributary::server {

std::optional<std::pair<FieldMap, std::uint64_t>> CorrectionService::FindRecord(
    const std::string& practice, const std::string& dataset, const std::string& key) {
  std::optional<HeldRow> held =
      store_.Read([&](StoreReading& r) { return RecordLog(r.db()).Find(practice, dataset, key); });
  if (!held) return std::nullopt;
  return std::make_pair(ParseCanonicalJson(held->fields), held->version);
}

std::uint64_t CorrectionService::Correct(const std::string& practice, const std::string& dataset,
                                         const FieldMap& fields, std::uint64_t base_version,
                                         const std::string& actor) {
  return store_.Write([&](StoreTransaction& t) {
    PeriodBook periods(t.db());
    return Corrections(t, ClosedMonthCheck(t.Hierarchy(), periods))
        .Correct(practice, dataset, fields, base_version, actor, t.NowMs());
  });
}

std::vector<RecordConflict> CorrectionService::OpenConflicts(
    const std::vector<std::string>& practices) {
  return store_.Read([&](StoreReading& r) {
    ConflictBook conflicts(r.db());
    std::vector<RecordConflict> out;
    for (const std::string& practice : practices) {
      for (std::int64_t id : conflicts.OpenIds(practice)) {
        if (auto c = conflicts.Find(id)) out.push_back(std::move(*c));
      }
    }
    return out;
  });
}

std::optional<RecordConflict> CorrectionService::FindConflict(std::int64_t id) {
  return store_.Read([&](StoreReading& r) { return ConflictBook(r.db()).Find(id); });
}

void CorrectionService::Resolve(std::int64_t id, ConflictChoice choice, const FieldMap& fields,
                                const std::string& actor) {
  store_.Write([&](StoreTransaction& t) {
    PeriodBook periods(t.db());
    Corrections(t, ClosedMonthCheck(t.Hierarchy(), periods))
        .Resolve(id, choice, fields, actor, t.NowMs());
  });
}

}  // namespace tributary::server
