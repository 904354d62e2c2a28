// The data exports in NHS England's published shapes, as CSV, for one month
// and one organisation in scope (docs/api.md "Exports"):
//   GET /v1/exports/appointments?period=&code=&basis=&version=
//                        the GPAD practice-level crosstab (export/appointments_export.h)
//   GET /v1/exports/workforce?period=&code=&basis=&version=
//                        the GP workforce practice-level CSV (export/workforce_export.h)
// `code` defaults to the person's scope; `basis` is latest (the default),
// approved (each return as approved) or published (a published version of
// the ICS's month: `version`, default its newest). Anyone may read within
// their scope.
#pragma once

#include <functional>

#include "export/export_records.h"
#include "export/export_table.h"
#include "http/http_message.h"
#include "store/server_store.h"
#include "tributary/common/dates.h"
#include "users/user.h"

namespace tributary::server {

class ExportsApi {
 public:
  // `store` must outlive the API.
  explicit ExportsApi(ServerStore& store) : store_(store) {}

  // Each throws Error: kInvalidArgument (400: no or a malformed period, a
  // malformed code, an unknown parameter or basis, version without
  // basis=published), kForbidden (403: outside the scope), kNotFound (404: no
  // such organisation that month, or no such published version).
  HttpResponse Appointments(const HttpRequest& request, const User& user);
  HttpResponse Workforce(const HttpRequest& request, const User& user);

 private:
  using Builder = std::function<ExportTable(const tributary::Period&, const OrgHierarchy&,
                                            const PracticeRecords&)>;
  HttpResponse Export(const HttpRequest& request, const User& user, const char* dataset,
                      const Builder& build);

  ServerStore& store_;
};

}  // namespace tributary::server
