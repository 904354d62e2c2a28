#include "api/exports_api.h"

#include "api/api_request.h"
#include "export/appointments_export.h"
#include "export/export_records.h"
#include "export/workforce_export.h"
#include "rollup/rollup_service.h"
#include "tributary/common/error.h"
#include "users/access_policy.h"

namespace tributary::server {
namespace {

// Only the practices under `code` that day, of those that have records.
PracticeRecords Under(const OrgHierarchy& hierarchy, const std::string& code,
                      const std::string& day, PracticeRecords records) {
  PracticeRecords out;
  for (const std::string& practice : hierarchy.PracticesUnder(code, day)) {
    auto it = records.find(practice);
    if (it != records.end()) out.emplace(practice, std::move(it->second));
  }
  return out;
}

void RequireVisible(const User& user, const OrgHierarchy& hierarchy, const std::string& code,
                    const std::string& period) {
  api::RequireOrganisation(hierarchy, "code", code, period);
  if (!AccessPolicy(user, hierarchy).CanSee(code, period + "-01")) {
    throw Error::Forbidden(code + " in " + period + " is outside your scope (" + user.scope + ")");
  }
}

}  // namespace

HttpResponse ExportsApi::Appointments(const HttpRequest& request, const User& user) {
  return Export(request, user, "appointments", AppointmentsExport);
}

HttpResponse ExportsApi::Workforce(const HttpRequest& request, const User& user) {
  return Export(request, user, "workforce", WorkforceExport);
}

HttpResponse ExportsApi::Export(const HttpRequest& request, const User& user, const char* dataset,
                                const Builder& build) {
  auto params = api::QueryParams(request, {"period", "code", "basis", "version"});
  if (params["period"].empty()) throw Error::InvalidArgument("period is required (YYYY-MM)");
  tributary::Period period = *ParsePeriod(api::Period(params["period"]));
  std::string month = period.ToString();
  std::string day = month + "-01";
  std::string code = params["code"].empty() ? user.scope : params["code"];
  RollupBasis basis = RollupBasis::kLatest;
  if (!params["basis"].empty()) {
    std::optional<RollupBasis> parsed = ParseRollupBasis(params["basis"]);
    if (!parsed) {
      throw Error::InvalidArgument("basis must be latest, approved or published, not '" +
                                   params["basis"] + "'");
    }
    basis = *parsed;
  }
  std::optional<std::int64_t> version;
  if (!params["version"].empty()) {
    if (basis != RollupBasis::kPublished) {
      throw Error::InvalidArgument(
          "version names a published version: use it with basis=published");
    }
    version = api::Version(params["version"]);
  }
  std::shared_ptr<const OrgHierarchy> current = store_.Hierarchy();
  ExportTable table;
  if (basis == RollupBasis::kPublished) {
    // Placed, and scoped, by the hierarchy the version was published under.
    std::string ics = api::IcsOf(user, *current, day);
    std::optional<PublishedRecords> published =
        ExportRecords(store_).Published(ics, month, version, dataset);
    if (!published) {
      throw Error::NotFound(month + " of " + ics + " has no published version" +
                            (version ? " " + std::to_string(*version) : std::string()));
    }
    OrgHierarchy hierarchy(published->organisations);
    RequireVisible(user, hierarchy, code, month);
    table = build(period, hierarchy, Under(hierarchy, code, day, std::move(published->records)));
  } else {
    RequireVisible(user, *current, code, month);
    std::vector<std::string> practices = current->PracticesUnder(code, day);
    table = build(
        period, *current,
        ExportRecords(store_).Month(month, dataset, practices, basis == RollupBasis::kApproved));
  }
  HttpResponse response;
  response.content_type = "text/csv; charset=utf-8";
  response.headers.emplace_back(
      "Content-Disposition",
      std::string("attachment; filename=\"") + dataset + "-" + code + "-" + month + ".csv\"");
  response.body = table.Csv();
  return response;
}

}  // namespace tributary::server
