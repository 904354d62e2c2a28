#include "periods/published_versions.h"

#include "tributary/common/digest.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS published_versions (
  ics             TEXT NOT NULL,
  period          TEXT NOT NULL,
  version         INTEGER NOT NULL,
  published_at_ms INTEGER NOT NULL,
  published_by    TEXT NOT NULL,
  figures         INTEGER NOT NULL,
  returns         INTEGER NOT NULL,
  PRIMARY KEY (ics, period, version)
) WITHOUT ROWID;

-- Every figure of the version, in the order the rollups gave them.
CREATE TABLE IF NOT EXISTS published_rollups (
  ics    TEXT NOT NULL,
  period            TEXT NOT NULL,
  version           INTEGER NOT NULL,
  ordinal           INTEGER NOT NULL,
  level             TEXT NOT NULL,
  code              TEXT NOT NULL,
  dataset           TEXT NOT NULL,
  measure           TEXT NOT NULL,
  staff_group       TEXT NOT NULL,
  staff_role        TEXT NOT NULL,
  hcp_type          TEXT NOT NULL,
  appt_mode         TEXT NOT NULL,
  appt_status       TEXT NOT NULL,
  booking_interval  TEXT NOT NULL,
  value             REAL NOT NULL,
  practices_covered INTEGER NOT NULL,
  PRIMARY KEY (ics, period, version, ordinal)
) WITHOUT ROWID;

-- The hierarchy the version used: the organisations of the month's first day.
CREATE TABLE IF NOT EXISTS published_orgs (
  ics    TEXT NOT NULL,
  period     TEXT NOT NULL,
  version    INTEGER NOT NULL,
  code       TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to   TEXT NOT NULL,
  name       TEXT NOT NULL,
  org_type   TEXT NOT NULL,
  parent     TEXT NOT NULL,
  PRIMARY KEY (ics, period, version, code, valid_from)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS published_lineage (
  ics    TEXT NOT NULL,
  period   TEXT NOT NULL,
  version  INTEGER NOT NULL,
  practice TEXT NOT NULL,
  dataset  TEXT NOT NULL,
  state    TEXT NOT NULL,
  revision INTEGER NOT NULL,
  records  INTEGER NOT NULL,
  sha256   TEXT NOT NULL,
  PRIMARY KEY (ics, period, version, practice, dataset)
) WITHOUT ROWID;

-- Returns' records as versions used them, once per distinct SHA-256.
CREATE TABLE IF NOT EXISTS published_records (
  sha256     TEXT NOT NULL,
  record_key TEXT NOT NULL,
  fields     TEXT NOT NULL,
  PRIMARY KEY (sha256, record_key)
) WITHOUT ROWID;
)sql";

constexpr const char* kTables[] = {"published_versions", "published_rollups", "published_orgs",
                                   "published_lineage", "published_records"};

}  // namespace

KeyedRecords HeldReturnRecords(db::Connection& db, const std::string& practice,
                               const std::string& dataset, const std::string& period) {
  auto stmt = db.Prepare(
      "SELECT record_key, fields FROM records INDEXED BY records_by_month "
      "WHERE period = ? AND dataset = ? AND practice = ? ORDER BY record_key");
  stmt.Bind(1, period).Bind(2, dataset).Bind(3, practice);
  KeyedRecords out;
  while (stmt.Step()) out.emplace_back(stmt.ColumnText(0), stmt.ColumnText(1));
  return out;
}

std::string RecordsSha256(const KeyedRecords& records) {
  std::string text;
  for (const auto& [key, fields] : records) {
    text += key;
    text += '\n';
    text += fields;
    text += '\n';
  }
  return digest::Sha256Hex(text);
}

void PublishedVersions::CreateSchema(db::Connection& db) {
  db.ExecSchema(kSchema);
  for (const char* table : kTables) db.ForbidChanges(table, "a published version is never changed");
}

std::int64_t PublishedVersions::NextVersion(const std::string& ics, const std::string& period) {
  auto stmt = db_.Prepare(
      "SELECT coalesce(max(version), 0) + 1 FROM published_versions "
      "WHERE ics = ? AND period = ?");
  stmt.Bind(1, ics).Bind(2, period);
  stmt.Step();
  return stmt.ColumnInt(0);
}

void PublishedVersions::KeepRecords(const std::string& sha256, const KeyedRecords& records) {
  auto insert = db_.Prepare(
      "INSERT INTO published_records (sha256, record_key, fields) VALUES (?, ?, ?) "
      "ON CONFLICT DO NOTHING");
  for (const auto& [key, fields] : records) {
    insert.Bind(1, sha256).Bind(2, key).Bind(3, fields);
    insert.Run();
    insert.Reset();
  }
}

void PublishedVersions::Write(const PublishedVersion& v,
                              const std::vector<Organisation>& organisations,
                              const std::vector<LineageEntry>& lineage,
                              const std::vector<RollupRow>& figures) {
  auto version = db_.Prepare(
      "INSERT INTO published_versions (ics, period, version, published_at_ms, published_by, "
      "figures, returns) VALUES (?, ?, ?, ?, ?, ?, ?)");
  version.Bind(1, v.ics).Bind(2, v.period).Bind(3, v.version).Bind(4, v.published_at_ms);
  version.Bind(5, v.published_by).Bind(6, static_cast<std::int64_t>(figures.size()));
  version.Bind(7, static_cast<std::int64_t>(lineage.size()));
  version.Run();

  auto org = db_.Prepare(
      "INSERT INTO published_orgs (ics, period, version, code, valid_from, valid_to, name, "
      "org_type, parent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const Organisation& o : organisations) {
    org.Bind(1, v.ics).Bind(2, v.period).Bind(3, v.version).Bind(4, o.code);
    org.Bind(5, o.valid_from).Bind(6, o.valid_to).Bind(7, o.name).Bind(8, OrgTypeName(o.level));
    org.Bind(9, o.parent);
    org.Run();
    org.Reset();
  }

  auto entry = db_.Prepare(
      "INSERT INTO published_lineage (ics, period, version, practice, dataset, state, revision, "
      "records, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const LineageEntry& e : lineage) {
    entry.Bind(1, v.ics).Bind(2, v.period).Bind(3, v.version).Bind(4, e.practice);
    entry.Bind(5, e.dataset).Bind(6, ReturnStateName(e.state)).Bind(7, e.revision);
    entry.Bind(8, e.records).Bind(9, e.sha256);
    entry.Run();
    entry.Reset();
  }

  auto figure = db_.Prepare(
      "INSERT INTO published_rollups (ics, period, version, ordinal, level, code, dataset, "
      "measure, staff_group, staff_role, hcp_type, appt_mode, appt_status, booking_interval, "
      "value, practices_covered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  std::int64_t ordinal = 0;
  for (const RollupRow& r : figures) {
    figure.Bind(1, v.ics).Bind(2, v.period).Bind(3, v.version).Bind(4, ++ordinal);
    figure.Bind(5, r.level).Bind(6, r.code).Bind(7, r.dataset).Bind(8, r.measure);
    figure.Bind(9, r.staff_group).Bind(10, r.staff_role).Bind(11, r.hcp_type);
    figure.Bind(12, r.appt_mode).Bind(13, r.appt_status).Bind(14, r.booking_interval);
    figure.Bind(15, r.value).Bind(16, r.practices_covered);
    figure.Run();
    figure.Reset();
  }
}

std::vector<PublishedVersion> PublishedVersions::Versions(
    const std::optional<std::string>& ics, const std::optional<std::string>& period) {
  auto stmt = db_.Prepare(
      "SELECT ics, period, version, published_at_ms, published_by, figures, returns "
      "FROM published_versions WHERE (CAST(?1 AS TEXT) IS NULL OR ics = ?1) "
      "AND (CAST(?2 AS TEXT) IS NULL OR period = ?2) "
      "ORDER BY ics, period, version");
  stmt.BindOptional(1, ics).BindOptional(2, period);
  std::vector<PublishedVersion> out;
  while (stmt.Step()) {
    out.push_back({stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnInt(2), stmt.ColumnInt(3),
                   stmt.ColumnText(4), stmt.ColumnInt(5), stmt.ColumnInt(6)});
  }
  return out;
}

std::optional<PublishedVersion> PublishedVersions::Find(const std::string& ics,
                                                        const std::string& period,
                                                        std::optional<std::int64_t> version) {
  std::vector<PublishedVersion> all = Versions(ics, period);
  if (all.empty()) return std::nullopt;
  if (!version) return all.back();
  for (const PublishedVersion& v : all) {
    if (v.version == *version) return v;
  }
  return std::nullopt;
}

namespace {

std::string Name(const PublishedVersion& v) {
  return "version " + std::to_string(v.version) + " of " + v.ics + " " + v.period;
}

}  // namespace

std::vector<Organisation> PublishedVersions::Organisations(const PublishedVersion& v) {
  auto stmt = db_.Prepare(
      "SELECT code, valid_from, valid_to, name, org_type, parent FROM published_orgs "
      "WHERE ics = ? AND period = ? AND version = ? ORDER BY code, valid_from");
  stmt.Bind(1, v.ics).Bind(2, v.period).Bind(3, v.version);
  std::vector<Organisation> out;
  while (stmt.Step()) {
    Organisation o;
    o.code = stmt.ColumnText(0);
    o.valid_from = stmt.ColumnText(1);
    o.valid_to = stmt.ColumnText(2);
    o.name = stmt.ColumnText(3);
    o.level = StoredOrgType(stmt.ColumnText(4), Name(v));
    o.parent = stmt.ColumnText(5);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<LineageEntry> PublishedVersions::Lineage(const PublishedVersion& v) {
  auto stmt = db_.Prepare(
      "SELECT practice, dataset, state, revision, records, sha256 FROM published_lineage "
      "WHERE ics = ? AND period = ? AND version = ? ORDER BY practice, dataset");
  stmt.Bind(1, v.ics).Bind(2, v.period).Bind(3, v.version);
  std::vector<LineageEntry> out;
  while (stmt.Step()) {
    LineageEntry e;
    e.practice = stmt.ColumnText(0);
    e.dataset = stmt.ColumnText(1);
    e.state = StoredReturnState(stmt.ColumnText(2), Name(v));
    e.revision = stmt.ColumnInt(3);
    e.records = stmt.ColumnInt(4);
    e.sha256 = stmt.ColumnText(5);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<RollupRow> PublishedVersions::Figures(const PublishedVersion& v) {
  auto stmt = db_.Prepare(
      "SELECT level, code, dataset, measure, staff_group, staff_role, hcp_type, appt_mode, "
      "appt_status, booking_interval, value, practices_covered FROM published_rollups "
      "WHERE ics = ? AND period = ? AND version = ? ORDER BY ordinal");
  stmt.Bind(1, v.ics).Bind(2, v.period).Bind(3, v.version);
  std::vector<RollupRow> out;
  while (stmt.Step()) {
    RollupRow r;
    r.level = stmt.ColumnText(0);
    r.code = stmt.ColumnText(1);
    r.period = v.period;
    r.dataset = stmt.ColumnText(2);
    r.measure = stmt.ColumnText(3);
    r.staff_group = stmt.ColumnText(4);
    r.staff_role = stmt.ColumnText(5);
    r.hcp_type = stmt.ColumnText(6);
    r.appt_mode = stmt.ColumnText(7);
    r.appt_status = stmt.ColumnText(8);
    r.booking_interval = stmt.ColumnText(9);
    r.value = stmt.ColumnDouble(10);
    r.practices_covered = stmt.ColumnInt(11);
    out.push_back(std::move(r));
  }
  return out;
}

KeyedRecords PublishedVersions::Records(const std::string& sha256) {
  auto stmt = db_.Prepare(
      "SELECT record_key, fields FROM published_records WHERE sha256 = ? ORDER BY record_key");
  stmt.Bind(1, sha256);
  KeyedRecords out;
  while (stmt.Step()) out.emplace_back(stmt.ColumnText(0), stmt.ColumnText(1));
  return out;
}

}  // namespace tributary::server
