#include "store/server_feed.h"

#include <algorithm>

#include "store/outbox.h"
#include "store/record_table.h"
#include "tributary/common/error.h"
#include "tributary/common/log.h"

namespace tributary::agent {
namespace {

std::string Field(const FieldMap& fields, const char* name) {
  auto it = fields.find(name);
  return it == fields.end() ? std::string() : it->second;
}

// A whole number the server sent, or Error(kProtocol) naming it.
std::uint64_t Number(const FieldMap& fields, const char* name, const std::string& kind) {
  std::string text = Field(fields, name);
  if (text.empty()) return 0;
  if (text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos) {
    throw Error::Protocol("a '" + kind + "' notice from the server has " + name + " '" + text +
                          "', not a whole number");
  }
  try {
    return std::stoull(text);
  } catch (const std::out_of_range&) {
    throw Error::Protocol("a '" + kind + "' notice from the server has " + name + " '" + text +
                          "', out of range");
  }
}

}  // namespace

void ServerFeed::CreateSchema(sqlite::Database& db) {
  db.Exec(R"sql(
-- The state of each of the practice's returns, as the server last said.
CREATE TABLE IF NOT EXISTS server_returns (
  dataset  TEXT NOT NULL,
  period   TEXT NOT NULL,
  state    TEXT NOT NULL,
  revision INTEGER NOT NULL,
  comment  TEXT NOT NULL,
  PRIMARY KEY (dataset, period)
) WITHOUT ROWID;

-- The server's cross-practice findings per return, as it last said:
-- newline-separated "reason [rule]" lines; no row when there are none.
CREATE TABLE IF NOT EXISTS return_findings (
  dataset  TEXT NOT NULL,
  period   TEXT NOT NULL,
  findings TEXT NOT NULL,
  PRIMARY KEY (dataset, period)
) WITHOUT ROWID;

-- The months the practice's ICS has closed, as the server last said: changes
-- to them are kept by the server but not applied.
CREATE TABLE IF NOT EXISTS closed_periods (
  period TEXT PRIMARY KEY
) WITHOUT ROWID;

-- Where the practice sits (PCN, place, ICS), span by span, from the server.
CREATE TABLE IF NOT EXISTS practice_hierarchy (
  valid_from TEXT PRIMARY KEY,
  valid_to   TEXT NOT NULL,
  fields     TEXT NOT NULL
) WITHOUT ROWID;
)sql");
}

std::size_t ServerFeed::Apply(const std::vector<protocol::Notice>& notices, std::uint64_t cursor) {
  std::uint64_t applied_up_to = state_.Number("pull_cursor");
  std::size_t applied = 0;
  auto save_return = db_.Prepare(
      "INSERT INTO server_returns (dataset, period, state, revision, comment) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (dataset, period) DO UPDATE SET "
      "state = excluded.state, revision = excluded.revision, comment = excluded.comment");
  auto save_span = db_.Prepare(
      "INSERT INTO practice_hierarchy (valid_from, valid_to, fields) VALUES (?, ?, ?) "
      "ON CONFLICT (valid_from) DO UPDATE SET valid_to = excluded.valid_to, "
      "fields = excluded.fields");
  auto save_findings = db_.Prepare(
      "INSERT INTO return_findings (dataset, period, findings) VALUES (?, ?, ?) "
      "ON CONFLICT (dataset, period) DO UPDATE SET findings = excluded.findings");
  auto clear_findings = db_.Prepare("DELETE FROM return_findings WHERE dataset = ? AND period = ?");
  auto close_period = db_.Prepare("INSERT OR IGNORE INTO closed_periods (period) VALUES (?)");
  auto open_period = db_.Prepare("DELETE FROM closed_periods WHERE period = ?");
  for (const protocol::Notice& n : notices) {
    if (n.id <= applied_up_to) continue;  // already applied: a repeated reply changes nothing
    const FieldMap& f = n.fields;
    if (n.kind == "return") {
      save_return.Bind(1, Field(f, "dataset")).Bind(2, Field(f, "period"));
      save_return.Bind(3, Field(f, "state")).BindUnsigned(4, Number(f, "revision", n.kind));
      save_return.Bind(5, Field(f, "comment"));
      save_return.Run();
    } else if (n.kind == "correction") {
      ApplyCorrection(f);
    } else if (n.kind == "findings") {
      // Each notice carries the return's whole current list, so the latest wins.
      std::string lines = Field(f, "findings");
      auto& stmt = lines.empty() ? clear_findings : save_findings;
      stmt.Bind(1, Field(f, "dataset")).Bind(2, Field(f, "period"));
      if (!lines.empty()) stmt.Bind(3, lines);
      stmt.Run();
    } else if (n.kind == "period") {
      auto& stmt = Field(f, "state") == "closed" ? close_period : open_period;
      stmt.Bind(1, Field(f, "period"));
      stmt.Run();
    } else if (n.kind == "hierarchy") {
      save_span.Bind(1, Field(f, "valid_from")).Bind(2, Field(f, "valid_to"));
      save_span.Bind(3, CanonicalJson(f));
      save_span.Run();
    }
    ++applied;
  }
  // A cursor behind ours with nothing new: the server was restored from a
  // backup and its notices go on from there, so ours must too.
  bool server_rewound = notices.empty() && cursor < applied_up_to;
  if (server_rewound) {
    log::Warning("pull_cursor_rewound",
                 "the server's notices end at " + std::to_string(cursor) + ", before " +
                     std::to_string(applied_up_to) +
                     " already applied here (restored from a backup?): reading on from there");
  }
  state_.Set("pull_cursor",
             std::to_string(server_rewound ? cursor : std::max(applied_up_to, cursor)));
  return applied;
}

void ServerFeed::ApplyCorrection(const FieldMap& notice) {
  std::string dataset_name = Field(notice, "dataset");
  const DatasetDecl* dataset = datasets::Find(dataset_name);
  if (dataset == nullptr) return;
  std::string key = Field(notice, "key");
  Outbox outbox(db_);
  if (std::optional<std::uint64_t> waiting = outbox.WaitingSeqOf(dataset_name, key)) {
    // The practice changed this record too and that change is on its way:
    // the server will hold both, and a person will choose. Keep ours meanwhile.
    outbox.KeepFinding({*waiting, "conflict",
                        dataset_name + " " + key +
                            " was corrected centrally while this change was waiting; the PCN "
                            "manager will choose between them"});
    return;
  }
  RecordTable records(db_);
  if (Field(notice, "op") == "delete") {
    records.Remove(dataset_name, key);
    return;
  }
  FieldMap fields;
  try {
    fields = ParseCanonicalJson(Field(notice, "record"));
  } catch (const Error&) {
    throw Error::Protocol(
        "a correction notice from the server carries a record that is not a "
        "JSON object of strings");
  }
  records.Write(dataset_name, key, RecordPeriod(*dataset, fields), CanonicalJson(fields),
                Number(notice, "version", "correction"));
}

std::vector<ServerReturn> ServerFeed::Returns() {
  auto stmt = db_.Prepare(
      "SELECT dataset, period, state, revision, comment FROM server_returns "
      "ORDER BY period DESC, dataset");
  std::vector<ServerReturn> out;
  while (stmt.Step()) {
    out.push_back({stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnText(2), stmt.ColumnInt(3),
                   stmt.ColumnText(4)});
  }
  return out;
}

std::vector<std::string> ServerFeed::ClosedPeriods() {
  auto stmt = db_.Prepare("SELECT period FROM closed_periods ORDER BY period");
  std::vector<std::string> out;
  while (stmt.Step()) out.push_back(stmt.ColumnText(0));
  return out;
}

std::vector<ReturnFinding> ServerFeed::ReturnFindings() {
  auto stmt = db_.Prepare(
      "SELECT dataset, period, findings FROM return_findings ORDER BY period DESC, dataset");
  std::vector<ReturnFinding> out;
  while (stmt.Step()) {
    std::string lines = stmt.ColumnText(2);
    std::size_t start = 0;
    while (start <= lines.size()) {
      std::size_t end = lines.find('\n', start);
      if (end == std::string::npos) end = lines.size();
      if (end > start) {
        out.push_back({stmt.ColumnText(0), stmt.ColumnText(1), lines.substr(start, end - start)});
      }
      start = end + 1;
    }
  }
  return out;
}

std::optional<FieldMap> ServerFeed::HierarchyOn(const std::string& iso_date) {
  auto stmt = db_.Prepare(
      "SELECT fields FROM practice_hierarchy WHERE valid_from <= ? "
      "AND (valid_to = '' OR valid_to >= ?) ORDER BY valid_from DESC LIMIT 1");
  stmt.Bind(1, iso_date).Bind(2, iso_date);
  if (!stmt.Step()) return std::nullopt;
  return ParseCanonicalJson(stmt.ColumnText(0));
}

}  // namespace tributary::agent
