#include "validation/published_findings.h"

#include <set>
#include <utility>

#include "notices/practice_feed.h"

namespace tributary::server {
namespace {

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += (text.empty() ? "" : "\n") + line;
  return text;
}

}  // namespace

void PublishedFindings::CreateSchema(db::Connection& db) {
  db.ExecSchema(R"sql(
CREATE TABLE IF NOT EXISTS findings_stale (
  period TEXT PRIMARY KEY,
  mark   INTEGER NOT NULL
) WITHOUT ROWID;
-- What each practice was last told; findings are newline-separated lines.
CREATE TABLE IF NOT EXISTS published_findings (
  period   TEXT NOT NULL,
  practice TEXT NOT NULL,
  dataset  TEXT NOT NULL,
  findings TEXT NOT NULL,
  PRIMARY KEY (period, practice, dataset)
) WITHOUT ROWID;
)sql");
}

void PublishedFindings::MarkStale(const std::string& period) {
  // The new mark exceeds every mark still held, so a publisher holding an
  // older one never clears this month by mistake.
  auto mark = db_.Prepare(
      "INSERT INTO findings_stale (period, mark) "
      "VALUES (?1, 1 + (SELECT COALESCE(MAX(mark), 0) FROM findings_stale)) "
      "ON CONFLICT (period) DO UPDATE SET mark = excluded.mark");
  mark.Bind(1, period);
  mark.Run();
}

std::map<std::string, std::int64_t> PublishedFindings::StalePeriods() {
  auto stmt = db_.Prepare("SELECT period, mark FROM findings_stale ORDER BY period");
  std::map<std::string, std::int64_t> out;
  while (stmt.Step()) out.emplace(stmt.ColumnText(0), stmt.ColumnInt(1));
  return out;
}

std::size_t PublishedFindings::Publish(const std::string& period, const FindingsByReturn& findings,
                                       std::int64_t mark, std::int64_t now_ms) {
  std::map<std::pair<std::string, std::string>, std::string> told;
  auto read =
      db_.Prepare("SELECT practice, dataset, findings FROM published_findings WHERE period = ?");
  read.Bind(1, period);
  while (read.Step()) told[{read.ColumnText(0), read.ColumnText(1)}] = read.ColumnText(2);

  std::map<std::pair<std::string, std::string>, std::string> now;
  for (const auto& [practice, by_dataset] : findings) {
    for (const auto& [dataset, lines] : by_dataset) {
      if (!lines.empty()) now[{practice, dataset}] = JoinLines(lines);
    }
  }
  std::set<std::pair<std::string, std::string>> returns;
  for (const auto& [key, text] : told) returns.insert(key);
  for (const auto& [key, text] : now) returns.insert(key);

  PracticeFeed feed(db_);
  auto save = db_.Prepare(
      "INSERT INTO published_findings (period, practice, dataset, findings) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (period, practice, dataset) DO UPDATE SET findings = excluded.findings");
  auto remove = db_.Prepare(
      "DELETE FROM published_findings WHERE period = ? AND practice = ? AND dataset = ?");
  std::size_t notices = 0;
  for (const auto& key : returns) {
    auto was = told.find(key);
    auto is = now.find(key);
    std::string before = was == told.end() ? "" : was->second;
    std::string after = is == now.end() ? "" : is->second;
    if (before == after) continue;
    const auto& [practice, dataset] = key;
    if (after.empty()) {
      remove.Bind(1, period).Bind(2, practice).Bind(3, dataset);
      remove.Run();
    } else {
      save.Bind(1, period).Bind(2, practice).Bind(3, dataset).Bind(4, after);
      save.Run();
    }
    feed.Append(practice, "findings",
                {{"period", period}, {"dataset", dataset}, {"findings", after}}, now_ms);
    ++notices;
  }
  auto clear = db_.Prepare("DELETE FROM findings_stale WHERE period = ? AND mark <= ?");
  clear.Bind(1, period).Bind(2, mark);
  clear.Run();
  return notices;
}

}  // namespace tributary::server
