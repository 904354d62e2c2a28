#include "reporting/reporting_views.h"

#include "tributary/common/dataset.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

// Whether the reader may see `ics`: some role they are a member of (or are)
// was granted it. pg_roles gives oids, so a scope naming a role dropped
// since is simply no one's.
std::string InScope(const std::string& column) {
  return "EXISTS (SELECT 1 FROM reporting_scopes s JOIN pg_catalog.pg_roles g "
         "ON g.rolname = s.role WHERE s.ics = " +
         column + " AND pg_catalog.pg_has_role(g.oid, 'MEMBER'))";
}

std::string DatasetRows() {
  std::string rows;
  for (const DatasetDecl* d : datasets::All()) {
    rows += rows.empty() ? "(" : ", (";
    rows += "'" + std::string(d->name) + "')";
  }
  return rows;
}

// The views' SQL: the store's tables named as its connection sees them
// (its schema first on the search path), fixed when each view is made.
std::string ViewsSql(const std::string& s) {
  return "CREATE SCHEMA IF NOT EXISTS " + s +
         ";\n"
         "REVOKE ALL ON SCHEMA " +
         s +
         " FROM PUBLIC;\n"
         "CREATE OR REPLACE VIEW " +
         s +
         ".rollups WITH (security_barrier) AS\n"
         "SELECT r.period, r.ics, r.level, r.code, r.dataset, r.measure, r.staff_group,\n"
         "       r.staff_role, r.hcp_type, r.appt_mode, r.appt_status, r.booking_interval,\n"
         "       CAST(r.value AS numeric) AS value, r.practices_covered,\n"
         "       to_timestamp(m.refreshed_at_ms / 1000.0) AS refreshed_at\n"
         "FROM reporting_rollups r\n"
         "JOIN reporting_months m ON m.period = r.period AND m.ics = r.ics\n"
         "WHERE " +
         InScope("r.ics") +
         ";\n"
         "CREATE OR REPLACE VIEW " +
         s +
         ".published_rollups WITH (security_barrier) AS\n"
         "SELECT v.ics, v.period, v.version, to_timestamp(v.published_at_ms / 1000.0) AS "
         "published_at,\n"
         "       v.published_by, p.level, p.code, p.dataset, p.measure, p.staff_group,\n"
         "       p.staff_role, p.hcp_type, p.appt_mode, p.appt_status, p.booking_interval,\n"
         "       trim_scale(round(CAST(p.value AS numeric), 6)) AS value, p.practices_covered\n"
         "FROM published_rollups p\n"
         "JOIN published_versions v\n"
         "  ON v.ics = p.ics AND v.period = p.period AND v.version = p.version\n"
         "WHERE " +
         InScope("p.ics") +
         ";\n"
         "CREATE OR REPLACE VIEW " +
         s +
         ".returns WITH (security_barrier) AS\n"
         "SELECT o.period, o.ics, o.place, o.pcn, o.code AS practice, o.name AS practice_name,\n"
         "       d.dataset, COALESCE(r.state, 'open') AS state, COALESCE(r.revision, 0) AS "
         "revision,\n"
         "       r.approved_revision, COALESCE(r.query_comment, '') AS query_comment,\n"
         "       r.updated_by, to_timestamp(r.updated_at_ms / 1000.0) AS updated_at\n"
         "FROM reporting_orgs o\n"
         "CROSS JOIN (VALUES " +
         DatasetRows() +
         ") AS d (dataset)\n"
         "LEFT JOIN returns r\n"
         "  ON r.practice = o.code AND r.dataset = d.dataset AND r.period = o.period\n"
         "WHERE o.org_type = 'PRACTICE' AND " +
         InScope("o.ics") +
         ";\n"
         "CREATE OR REPLACE VIEW " +
         s +
         ".orgs WITH (security_barrier) AS\n"
         "SELECT o.period, o.ics, o.code, o.name, o.org_type, NULLIF(o.parent, '') AS parent,\n"
         "       NULLIF(o.pcn, '') AS pcn, NULLIF(o.place, '') AS place,\n"
         "       CAST(o.valid_from AS date) AS valid_from,\n"
         "       CAST(NULLIF(o.valid_to, '') AS date) AS valid_to\n"
         "FROM reporting_orgs o\n"
         "WHERE " +
         InScope("o.ics") + ";\n";
}

constexpr const char* kViews[] = {"rollups", "published_rollups", "returns", "orgs"};

bool RoleExists(db::Connection& db, const std::string& role, bool* superuser) {
  auto stmt = db.Prepare("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = ?");
  stmt.Bind(1, role);
  if (!stmt.Step()) return false;
  *superuser = stmt.ColumnInt(0) != 0;
  return true;
}

std::string Quoted(db::Connection& db, const char* format, const std::string& a,
                   const std::string& b) {
  auto stmt = db.Prepare(std::string("SELECT format('") + format + "', ?, ?)");
  stmt.Bind(1, a).Bind(2, b);
  stmt.Step();
  return stmt.ColumnText(0);
}

}  // namespace

void CheckReportingName(const std::string& what, const std::string& name) {
  bool ok = !name.empty() && name.size() <= 63 && !(name[0] >= '0' && name[0] <= '9') &&
            name.rfind("pg_", 0) != 0 && name != "public";
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (!ok) {
    throw Error::InvalidArgument(what + " '" + name +
                                 "' must be 1 to 63 of a-z, 0-9 and _, not starting with a "
                                 "digit or pg_, and not public");
  }
}

ReportingGrantResult GrantReporting(db::Connection& db, const ReportingGrant& grant) {
  CheckReportingName("--role", grant.role);
  CheckReportingName("--schema", grant.schema);
  if (db.engine() != db::Engine::kPostgres) {
    throw Error::Conflict(
        "reporting views need a PostgreSQL store; this server's store is SQLite (analysts "
        "read it through the API's exports and feed, docs/api.md)");
  }
  auto me = db.Prepare("SELECT current_user");
  me.Step();
  if (me.ColumnText(0) == grant.role) {
    throw Error::Conflict("--role " + grant.role +
                          " is the store's own user, which can change everything; name a "
                          "role for the analysts");
  }
  ReportingGrantResult result;
  bool superuser = false;
  if (RoleExists(db, grant.role, &superuser)) {
    if (superuser) {
      throw Error::Conflict("--role " + grant.role +
                            " is a superuser, which reads everything whatever it is granted; "
                            "name a role for the analysts");
    }
  } else {
    db.Exec("CREATE ROLE \"" + grant.role + "\" LOGIN");
    db.Exec("ALTER ROLE \"" + grant.role + "\" SET default_transaction_read_only = on");
    result.role_created = true;
  }
  if (grant.password) db.Exec(Quoted(db, "ALTER ROLE %I PASSWORD %L", grant.role, *grant.password));

  db.Exec(ViewsSql("\"" + grant.schema + "\""));
  db.Exec("GRANT USAGE ON SCHEMA \"" + grant.schema + "\" TO \"" + grant.role + "\"");
  for (const char* view : kViews) {
    std::string name = grant.schema + "." + view;
    db.Exec("GRANT SELECT ON \"" + grant.schema + "\".\"" + view + "\" TO \"" + grant.role + "\"");
    result.views.push_back(name);
  }
  auto clear = db.Prepare("DELETE FROM reporting_scopes WHERE role = ?");
  clear.Bind(1, grant.role);
  clear.Run();
  auto scope = db.Prepare("INSERT INTO reporting_scopes (role, ics) VALUES (?, ?)");
  for (const std::string& ics : grant.ics) {
    scope.Bind(1, grant.role).Bind(2, ics);
    scope.Run();
  }
  return result;
}

int RevokeReporting(db::Connection& db, const std::string& role, const std::string& schema) {
  CheckReportingName("--role", role);
  CheckReportingName("--schema", schema);
  if (db.engine() != db::Engine::kPostgres) {
    throw Error::Conflict("reporting views need a PostgreSQL store; this one is SQLite");
  }
  auto count = db.Prepare("SELECT count(*) FROM reporting_scopes WHERE role = ?");
  count.Bind(1, role);
  count.Step();
  int removed = static_cast<int>(count.ColumnInt(0));
  auto scopes = db.Prepare("DELETE FROM reporting_scopes WHERE role = ?");
  scopes.Bind(1, role);
  scopes.Run();
  bool superuser = false;
  auto has_schema = db.Prepare("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?");
  has_schema.Bind(1, schema);
  if (RoleExists(db, role, &superuser) && has_schema.Step()) {
    for (const char* view : kViews) {
      db.Exec("REVOKE ALL ON \"" + schema + "\".\"" + view + "\" FROM \"" + role + "\"");
    }
    db.Exec("REVOKE ALL ON SCHEMA \"" + schema + "\" FROM \"" + role + "\"");
  }
  return removed;
}

}  // namespace tributary::server
