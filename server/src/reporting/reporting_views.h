// The reporting schema analysts' own tools read on a PostgreSQL store
// (Power BI, R's RPostgres, psql): four stable views, each row under an ICS,
// and read-only roles that see only the ICSs they were granted.
//
//   SCHEMA.rollups             the latest figures at every level, refreshed
//                              by the server (reporting/reporting_refresher.h)
//   SCHEMA.published_rollups   every published version's figures
//   SCHEMA.returns             every practice's returns, states live
//   SCHEMA.orgs                each month's organisations with PCN, place, ICS
//
// The views are owned by the store's user and filter by the reader's role
// (security barriers, so no function a reader writes sees a row outside
// their scope); the role is given USAGE on the schema and SELECT on the
// views, nothing else. docs/operations.md, "Reporting views".
//
// Each function works in the caller's write transaction on a PostgreSQL
// connection: nothing stays of a grant that fails. Names that are not plain
// lower-case identifiers throw Error(kInvalidArgument) before anything runs;
// a role that is a superuser, or the store's own, or an SQLite store,
// Error(kConflict); a store
// user that cannot create a missing role, Error(kDatabase) saying so.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "database/connection.h"

namespace tributary::server {

struct ReportingGrant {
  std::string role;              // created (LOGIN, read-only) when absent
  std::vector<std::string> ics;  // exactly the ICSs it reads from now on
  std::string schema = "reporting";
  std::optional<std::string> password;  // set on the role when given
};

struct ReportingGrantResult {
  bool role_created = false;
  std::vector<std::string> views;  // SCHEMA.NAME, in the order documented
};

// Throws Error(kInvalidArgument) unless `name` can name a role or schema:
// 1 to 63 of a-z, 0-9 and _, not starting with a digit or "pg_".
void CheckReportingName(const std::string& what, const std::string& name);

ReportingGrantResult GrantReporting(db::Connection& db, const ReportingGrant& grant);

// Takes the role's scopes and its privileges on the schema's views away;
// the role itself stays (it may be a person's). Returns how many ICSs it
// could read.
int RevokeReporting(db::Connection& db, const std::string& role, const std::string& schema);

}  // namespace tributary::server
