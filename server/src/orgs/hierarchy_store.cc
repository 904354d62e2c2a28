#include "orgs/hierarchy_store.h"

#include <optional>

#include "notices/practice_feed.h"
#include "orgs/org_hierarchy.h"
#include "tributary/common/error.h"

namespace tributary::server {

void HierarchyStore::CreateSchema(db::Connection& db) {
  db.ExecSchema(R"sql(
-- The organisation hierarchy: one row per organisation per span of validity.
-- Replaced whole by each `orgs import`.
CREATE TABLE IF NOT EXISTS organisations (
  code       TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to   TEXT,
  name       TEXT NOT NULL,
  org_type   TEXT NOT NULL,
  parent     TEXT,
  PRIMARY KEY (code, valid_from)
) WITHOUT ROWID;
)sql");
}

bool HierarchyStore::Replace(const std::vector<Organisation>& organisations,
                             const std::string& file_sha256, std::int64_t now_ms) {
  auto current = db_.Prepare("SELECT value FROM settings WHERE key = 'organisations_sha256'");
  if (current.Step() && current.ColumnText(0) == file_sha256) return false;
  db_.Exec("DELETE FROM organisations");
  auto insert = db_.Prepare(
      "INSERT INTO organisations (code, valid_from, valid_to, name, org_type, parent) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  auto or_null = [](const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
  };
  for (const Organisation& o : organisations) {
    insert.Bind(1, o.code).Bind(2, o.valid_from).BindOptional(3, or_null(o.valid_to));
    insert.Bind(4, o.name).Bind(5, OrgTypeName(o.level)).BindOptional(6, or_null(o.parent));
    insert.Run();
  }
  OrgHierarchy hierarchy(organisations);
  PracticeFeed feed(db_);
  for (const Organisation& o : organisations) {
    if (o.level != OrgLevel::kPractice) continue;
    FieldMap chain{{"valid_from", o.valid_from}, {"valid_to", o.valid_to}, {"name", o.name}};
    for (OrgLevel level : {OrgLevel::kPcn, OrgLevel::kPlace, OrgLevel::kIcs}) {
      std::string name(LevelName(level));
      std::string code = hierarchy.AncestorOf(o.code, level, o.valid_from).value_or("");
      const Organisation* org = hierarchy.Find(code, o.valid_from);
      chain[name] = code;
      chain[name + "_name"] = org ? org->name : "";
    }
    feed.Append(o.code, "hierarchy", chain, now_ms);
  }
  auto setting = db_.Prepare(
      "INSERT INTO settings (key, value) VALUES ('organisations_sha256', ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  setting.Bind(1, file_sha256);
  setting.Run();
  return true;
}

std::vector<Organisation> HierarchyStore::All() {
  auto stmt = db_.Prepare(
      "SELECT code, name, org_type, coalesce(parent, ''), valid_from, coalesce(valid_to, '') "
      "FROM organisations ORDER BY code, valid_from");
  std::vector<Organisation> out;
  while (stmt.Step()) {
    Organisation o;
    o.code = stmt.ColumnText(0);
    o.name = stmt.ColumnText(1);
    o.level = StoredOrgType(stmt.ColumnText(2), "organisation " + o.code);
    o.parent = stmt.ColumnText(3);
    o.valid_from = stmt.ColumnText(4);
    o.valid_to = stmt.ColumnText(5);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace tributary::server
