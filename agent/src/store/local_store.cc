#include "store/local_store.h"

#include <boost/json.hpp>

#include <map>

#include "tributary/common/dates.h"
#include "tributary/common/error.h"

namespace tributary::agent {
namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- The current value of every record held at the practice.
CREATE TABLE IF NOT EXISTS records (
  dataset    TEXT NOT NULL,
  record_key TEXT NOT NULL,
  period     TEXT NOT NULL,
  fields     TEXT NOT NULL,    -- canonical JSON of the wire fields
  version    INTEGER NOT NULL, -- HLC timestamp of the last change
  PRIMARY KEY (dataset, record_key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_by_period ON records (dataset, period);

-- Changes waiting for the server, numbered 1, 2, 3, ... without gaps.
CREATE TABLE IF NOT EXISTS outbox (
  seq          INTEGER PRIMARY KEY,
  dataset      TEXT NOT NULL,
  record_key   TEXT NOT NULL,
  op           TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
  fields       TEXT,
  version      INTEGER NOT NULL,
  base_version INTEGER NOT NULL
);
-- Finds a record's unsent change, to coalesce a newer one into it.
CREATE INDEX IF NOT EXISTS outbox_by_record ON outbox (dataset, record_key, seq);

-- Who is behind each person key. Never leaves this machine.
CREATE TABLE IF NOT EXISTS people (
  person_key          TEXT PRIMARY KEY,
  staff_id            TEXT NOT NULL,
  given_name          TEXT NOT NULL,
  family_name         TEXT NOT NULL,
  registration_body   TEXT NOT NULL,
  registration_number TEXT NOT NULL,
  employer_code       TEXT NOT NULL,
  employer_staff_id   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS people_by_staff_id ON people (staff_id);

-- Every file imported, by content hash, so a re-import is a no-op.
CREATE TABLE IF NOT EXISTS imports (
  content_sha256 TEXT PRIMARY KEY,
  file_name      TEXT NOT NULL,
  dataset        TEXT NOT NULL,
  rows           INTEGER NOT NULL,
  upserts        INTEGER NOT NULL,
  deletes        INTEGER NOT NULL,
  imported_at    TEXT NOT NULL
) WITHOUT ROWID;

-- What the server said of changes it did not simply accept.
CREATE TABLE IF NOT EXISTS findings (
  seq     INTEGER PRIMARY KEY,
  outcome TEXT NOT NULL,
  detail  TEXT NOT NULL
);

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
)sql";

std::string IsoNow(const Clock& clock) { return FormatUtc(clock.NowMillis()); }

FieldMap ParseFields(const std::string& json_text) {
  FieldMap fields;
  boost::json::value value = boost::json::parse(json_text);
  for (const auto& [name, v] : value.as_object()) {
    fields.emplace(std::string(name), std::string(v.as_string()));
  }
  return fields;
}

std::uint64_t ToUnsigned(std::int64_t v) { return static_cast<std::uint64_t>(v); }
std::int64_t ToSigned(std::uint64_t v) { return static_cast<std::int64_t>(v); }

}  // namespace

LocalStore::LocalStore(const std::filesystem::path& path, const Clock& clock)
    : db_(sqlite::Database::Open(path)), clock_(clock), hlc_(clock) {
  Migrate();
  // Restart the clock after the last timestamp issued, so versions keep
  // increasing even if the wall clock went back while the agent was stopped.
  if (auto last = GetState("hlc_last")) hlc_.Observe(std::stoull(*last));
}

void LocalStore::Migrate() {
  sqlite::Transaction txn(db_);
  db_.Exec(kSchema);
  auto version = GetState("schema_version");
  if (version && std::stoi(*version) > kSchemaVersion) {
    throw Error::Conflict("the store was written by a newer agent (schema " + *version +
                          "); upgrade tributary-agent");
  }
  SetState("schema_version", std::to_string(kSchemaVersion));
  txn.Commit();
}

std::optional<std::string> LocalStore::GetState(const std::string& key) {
  auto stmt = db_.Prepare("SELECT value FROM state WHERE key = ?");
  stmt.Bind(1, key);
  if (!stmt.Step()) return std::nullopt;
  return stmt.ColumnText(0);
}

void LocalStore::SetState(const std::string& key, const std::string& value) {
  auto stmt = db_.Prepare(
      "INSERT INTO state (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  stmt.Bind(1, key).Bind(2, value);
  stmt.Run();
}

void LocalStore::SetStates(const std::vector<std::pair<std::string, std::string>>& values) {
  sqlite::Transaction txn(db_);
  for (const auto& [key, value] : values) SetState(key, value);
  txn.Commit();
}

HlcTimestamp LocalStore::NextVersion() { return hlc_.Now(); }

void LocalStore::PersistClock() { SetState("hlc_last", std::to_string(hlc_.Now())); }

std::uint64_t LocalStore::LastSeq() {
  auto value = GetState("last_seq");
  return value ? std::stoull(*value) : 0;
}

std::uint64_t LocalStore::AcknowledgedSeq() {
  auto value = GetState("acknowledged_seq");
  return value ? std::stoull(*value) : 0;
}

// Appends to the outbox inside the caller's transaction. Sequence numbers are
// never reused, even after acknowledged entries are removed, so the server's
// high-water mark stays meaningful; the last one is saved by Finish().
//
// Coalescing: a change to a record whose previous change has not been sent
// yet replaces that change in place — same seq, the base version the server
// knows, the new value — so the server gets one change, not the history. A
// change already sent in any push attempt (seq <= "attempted_seq") is never
// touched: the server may hold it, and rewriting it would lose the new value.
class LocalStore::OutboxWriter {
 public:
  explicit OutboxWriter(LocalStore& store)
      : store_(store),
        seq_(store.LastSeq()),
        attempted_(std::stoull(store.GetState("attempted_seq").value_or("0"))),
        // With nothing unsent at the start, only this writer's own entries
        // could match, and one writer never changes a record twice.
        had_unsent_(seq_ > attempted_),
        insert_(store.db_.Prepare(
            "INSERT INTO outbox (seq, dataset, record_key, op, fields, version, base_version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)")),
        unsent_(store.db_.Prepare(
            "SELECT seq FROM outbox WHERE dataset = ? AND record_key = ? AND seq > ? "
            "ORDER BY seq DESC LIMIT 1")),
        replace_(store.db_.Prepare(
            "UPDATE outbox SET op = ?, fields = ?, version = ? WHERE seq = ?")) {}

  void Append(const std::string& dataset, const std::string& key, const std::string* fields_json,
              HlcTimestamp version, HlcTimestamp base_version) {
    bool coalesce = false;
    std::int64_t unsent_seq = 0;
    if (had_unsent_) {
      unsent_.Bind(1, dataset).Bind(2, key).Bind(3, ToSigned(attempted_));
      coalesce = unsent_.Step();
      if (coalesce) unsent_seq = unsent_.ColumnInt(0);
      unsent_.Reset();
    }
    if (coalesce) {
      replace_.Bind(1, std::string_view(fields_json ? "upsert" : "delete"));
      if (fields_json) replace_.Bind(2, *fields_json); else replace_.BindNull(2);
      replace_.Bind(3, ToSigned(version)).Bind(4, unsent_seq);
      replace_.Run();
      return;
    }
    ++seq_;
    insert_.Bind(1, ToSigned(seq_)).Bind(2, dataset).Bind(3, key);
    insert_.Bind(4, std::string_view(fields_json ? "upsert" : "delete"));
    if (fields_json) insert_.Bind(5, *fields_json); else insert_.BindNull(5);
    insert_.Bind(6, ToSigned(version)).Bind(7, ToSigned(base_version));
    insert_.Run();
  }

  void Finish() { store_.SetState("last_seq", std::to_string(seq_)); }

 private:
  LocalStore& store_;
  std::uint64_t seq_;
  std::uint64_t attempted_;
  bool had_unsent_;
  sqlite::Statement insert_;
  sqlite::Statement unsent_;
  sqlite::Statement replace_;
};

void LocalStore::SavePerson(const Person& p) {
  auto stmt = db_.Prepare(
      "INSERT INTO people (person_key, staff_id, given_name, family_name, registration_body, "
      "registration_number, employer_code, employer_staff_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (person_key) DO UPDATE SET staff_id = excluded.staff_id, "
      "given_name = excluded.given_name, family_name = excluded.family_name, "
      "registration_body = excluded.registration_body, "
      "registration_number = excluded.registration_number, "
      "employer_code = excluded.employer_code, employer_staff_id = excluded.employer_staff_id");
  stmt.Bind(1, p.person_key).Bind(2, p.staff_id).Bind(3, p.given_name).Bind(4, p.family_name);
  stmt.Bind(5, p.registration_body).Bind(6, p.registration_number).Bind(7, p.employer_code);
  stmt.Bind(8, p.employer_staff_id);
  stmt.Run();
}

ReplaceResult LocalStore::ReplacePeriods(const DatasetDecl& dataset,
                                         const std::vector<PeriodReplacement>& periods,
                                         const std::vector<Person>& people,
                                         const std::string& import_sha256,
                                         const std::string& file_name, std::size_t rows) {
  ReplaceResult result;
  sqlite::Transaction txn(db_);
  std::string name(dataset.name);
  auto upsert = db_.Prepare(
      "INSERT INTO records (dataset, record_key, period, fields, version) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (dataset, record_key) DO UPDATE SET period = excluded.period, "
      "fields = excluded.fields, version = excluded.version");
  auto remove = db_.Prepare("DELETE FROM records WHERE dataset = ? AND record_key = ?");
  auto current = db_.Prepare(
      "SELECT record_key, fields, version FROM records WHERE dataset = ? AND period = ?");
  auto elsewhere = db_.Prepare("SELECT version FROM records WHERE dataset = ? AND record_key = ?");
  OutboxWriter outbox(*this);
  for (const PeriodReplacement& replacement : periods) {
    // What is held now for this month, by key.
    std::map<std::string, std::pair<std::string, HlcTimestamp>> held;
    current.Bind(1, name).Bind(2, replacement.period);
    while (current.Step()) {
      held.emplace(current.ColumnText(0),
                   std::make_pair(current.ColumnText(1), ToUnsigned(current.ColumnInt(2))));
    }
    current.Reset();
    for (const FieldMap& fields : replacement.records) {
      std::string key = RecordKey(dataset, fields);
      std::string json = CanonicalJson(fields);
      HlcTimestamp base = 0;
      if (auto it = held.find(key); it != held.end()) {
        base = it->second.second;
        bool same = it->second.first == json;
        held.erase(it);
        if (same) {
          ++result.unchanged;
          continue;
        }
      } else {
        // The key may be held under another month (a date corrected across months).
        elsewhere.Bind(1, name).Bind(2, key);
        if (elsewhere.Step()) base = ToUnsigned(elsewhere.ColumnInt(0));
        elsewhere.Reset();
      }
      HlcTimestamp version = NextVersion();
      upsert.Bind(1, name).Bind(2, key).Bind(3, replacement.period).Bind(4, json);
      upsert.Bind(5, ToSigned(version));
      upsert.Run();
      outbox.Append(name, key, &json, version, base);
      ++result.upserts;
    }
    for (const auto& [key, previous] : held) {
      remove.Bind(1, name).Bind(2, key);
      remove.Run();
      outbox.Append(name, key, nullptr, NextVersion(), previous.second);
      ++result.deletes;
    }
  }
  outbox.Finish();
  for (const Person& person : people) SavePerson(person);
  auto log = db_.Prepare(
      "INSERT OR IGNORE INTO imports (content_sha256, file_name, dataset, rows, upserts, deletes, "
      "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  log.Bind(1, import_sha256).Bind(2, file_name).Bind(3, name);
  log.Bind(4, static_cast<std::int64_t>(rows)).Bind(5, static_cast<std::int64_t>(result.upserts));
  log.Bind(6, static_cast<std::int64_t>(result.deletes)).Bind(7, IsoNow(clock_));
  log.Run();
  PersistClock();
  txn.Commit();
  return result;
}

void LocalStore::UpsertRecord(const DatasetDecl& dataset, const FieldMap& fields,
                              const Person* person) {
  sqlite::Transaction txn(db_);
  UpsertInTransaction(dataset, fields, person);
  PersistClock();
  txn.Commit();
}

bool LocalStore::DeleteRecord(const DatasetDecl& dataset, const std::string& key) {
  sqlite::Transaction txn(db_);
  if (!DeleteInTransaction(dataset, key)) return false;
  PersistClock();
  txn.Commit();
  return true;
}

void LocalStore::ReplaceRecord(const DatasetDecl& dataset, const std::string& old_key,
                               const FieldMap& fields, const Person* person) {
  sqlite::Transaction txn(db_);
  if (RecordKey(dataset, fields) != old_key) DeleteInTransaction(dataset, old_key);
  UpsertInTransaction(dataset, fields, person);
  PersistClock();
  txn.Commit();
}

void LocalStore::UpsertInTransaction(const DatasetDecl& dataset, const FieldMap& fields,
                                     const Person* person) {
  std::string name(dataset.name);
  std::string key = RecordKey(dataset, fields);
  std::string json = CanonicalJson(fields);
  if (person) SavePerson(*person);
  auto existing = FindRecord(dataset, key);
  if (existing && CanonicalJson(existing->fields) == json) return;
  HlcTimestamp version = NextVersion();
  auto upsert = db_.Prepare(
      "INSERT INTO records (dataset, record_key, period, fields, version) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (dataset, record_key) DO UPDATE SET period = excluded.period, "
      "fields = excluded.fields, version = excluded.version");
  upsert.Bind(1, name).Bind(2, key).Bind(3, RecordPeriod(dataset, fields)).Bind(4, json);
  upsert.Bind(5, ToSigned(version));
  upsert.Run();
  OutboxWriter outbox(*this);
  outbox.Append(name, key, &json, version, existing ? existing->version : 0);
  outbox.Finish();
}

bool LocalStore::DeleteInTransaction(const DatasetDecl& dataset, const std::string& key) {
  auto existing = FindRecord(dataset, key);
  if (!existing) return false;
  std::string name(dataset.name);
  auto remove = db_.Prepare("DELETE FROM records WHERE dataset = ? AND record_key = ?");
  remove.Bind(1, name).Bind(2, key);
  remove.Run();
  OutboxWriter outbox(*this);
  outbox.Append(name, key, nullptr, NextVersion(), existing->version);
  outbox.Finish();
  return true;
}

bool LocalStore::WasImported(const std::string& sha256) {
  auto stmt = db_.Prepare("SELECT 1 FROM imports WHERE content_sha256 = ?");
  stmt.Bind(1, sha256);
  return stmt.Step();
}

std::vector<StoredRecord> LocalStore::Records(const DatasetDecl& dataset,
                                              const std::string& period) {
  auto stmt = db_.Prepare(
      "SELECT record_key, period, fields, version FROM records "
      "WHERE dataset = ? AND period = ? ORDER BY record_key");
  stmt.Bind(1, std::string(dataset.name)).Bind(2, period);
  std::vector<StoredRecord> records;
  while (stmt.Step()) {
    records.push_back({stmt.ColumnText(0), stmt.ColumnText(1), ParseFields(stmt.ColumnText(2)),
                       ToUnsigned(stmt.ColumnInt(3))});
  }
  return records;
}

std::optional<StoredRecord> LocalStore::FindRecord(const DatasetDecl& dataset,
                                                   const std::string& key) {
  auto stmt = db_.Prepare(
      "SELECT record_key, period, fields, version FROM records "
      "WHERE dataset = ? AND record_key = ?");
  stmt.Bind(1, std::string(dataset.name)).Bind(2, key);
  if (!stmt.Step()) return std::nullopt;
  return StoredRecord{stmt.ColumnText(0), stmt.ColumnText(1), ParseFields(stmt.ColumnText(2)),
                      ToUnsigned(stmt.ColumnInt(3))};
}

namespace {
std::optional<Person> ReadPerson(sqlite::Statement& stmt) {
  if (!stmt.Step()) return std::nullopt;
  return Person{stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnText(2), stmt.ColumnText(3),
                stmt.ColumnText(4), stmt.ColumnText(5), stmt.ColumnText(6), stmt.ColumnText(7)};
}
constexpr const char* kPersonColumns =
    "SELECT person_key, staff_id, given_name, family_name, registration_body, "
    "registration_number, employer_code, employer_staff_id FROM people ";
}  // namespace

std::optional<Person> LocalStore::FindPersonByStaffId(const std::string& staff_id) {
  auto stmt = db_.Prepare(std::string(kPersonColumns) + "WHERE staff_id = ?");
  stmt.Bind(1, staff_id);
  return ReadPerson(stmt);
}

std::optional<Person> LocalStore::FindPerson(const std::string& person_key) {
  auto stmt = db_.Prepare(std::string(kPersonColumns) + "WHERE person_key = ?");
  stmt.Bind(1, person_key);
  return ReadPerson(stmt);
}

std::vector<OutboxEntry> LocalStore::PendingChanges(std::uint64_t after_seq, std::size_t limit) {
  auto stmt = db_.Prepare(
      "SELECT seq, dataset, record_key, op, fields, version, base_version FROM outbox "
      "WHERE seq > ? ORDER BY seq LIMIT ?");
  stmt.Bind(1, ToSigned(after_seq)).Bind(2, static_cast<std::int64_t>(limit));
  std::vector<OutboxEntry> entries;
  while (stmt.Step()) {
    OutboxEntry e;
    e.seq = ToUnsigned(stmt.ColumnInt(0));
    e.dataset = stmt.ColumnText(1);
    e.key = stmt.ColumnText(2);
    e.is_delete = stmt.ColumnText(3) == "delete";
    e.fields_json = stmt.ColumnText(4);
    e.version = ToUnsigned(stmt.ColumnInt(5));
    e.base_version = ToUnsigned(stmt.ColumnInt(6));
    entries.push_back(std::move(e));
  }
  return entries;
}

std::uint64_t LocalStore::UsedBytes() {
  auto pragma = [this](const char* name) {
    auto stmt = db_.Prepare(std::string("PRAGMA ") + name);
    stmt.Step();
    return ToUnsigned(stmt.ColumnInt(0));
  };
  return (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
}

std::uint64_t LocalStore::PendingCount() {
  auto stmt = db_.Prepare("SELECT count(*) FROM outbox");
  stmt.Step();
  return ToUnsigned(stmt.ColumnInt(0));
}

void LocalStore::Acknowledge(std::uint64_t seq, const std::vector<Finding>& findings,
                             const std::string& synced_at) {
  sqlite::Transaction txn(db_);
  auto remove = db_.Prepare("DELETE FROM outbox WHERE seq <= ?");
  remove.Bind(1, ToSigned(seq));
  remove.Run();
  auto keep = db_.Prepare(
      "INSERT OR REPLACE INTO findings (seq, outcome, detail) VALUES (?, ?, ?)");
  for (const Finding& f : findings) {
    keep.Bind(1, ToSigned(f.seq)).Bind(2, f.outcome).Bind(3, f.detail);
    keep.Run();
  }
  if (seq > AcknowledgedSeq()) SetState("acknowledged_seq", std::to_string(seq));
  SetState("last_sync", synced_at);
  txn.Commit();
}

std::vector<LocalStore::Finding> LocalStore::Findings(std::size_t limit) {
  auto stmt = db_.Prepare("SELECT seq, outcome, detail FROM findings ORDER BY seq DESC LIMIT ?");
  stmt.Bind(1, static_cast<std::int64_t>(limit));
  std::vector<Finding> findings;
  while (stmt.Step()) {
    findings.push_back({ToUnsigned(stmt.ColumnInt(0)), stmt.ColumnText(1), stmt.ColumnText(2)});
  }
  return findings;
}

std::vector<LocalStore::PeriodCount> LocalStore::RecordCounts() {
  auto stmt = db_.Prepare(
      "SELECT dataset, period, count(*) FROM records GROUP BY dataset, period "
      "ORDER BY dataset, period");
  std::vector<PeriodCount> counts;
  while (stmt.Step()) {
    counts.push_back({stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnInt(2)});
  }
  return counts;
}

}  // namespace tributary::agent

namespace tributary::agent {

std::uint64_t LocalStore::PullCursor() {
  return std::stoull(GetState("pull_cursor").value_or("0"));
}

std::size_t LocalStore::ApplyNotices(const std::vector<protocol::Notice>& notices,
                                     std::uint64_t cursor) {
  sqlite::Transaction txn(db_);
  std::uint64_t applied_up_to = PullCursor();
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
  auto clear_findings =
      db_.Prepare("DELETE FROM return_findings WHERE dataset = ? AND period = ?");
  auto close_period = db_.Prepare("INSERT OR IGNORE INTO closed_periods (period) VALUES (?)");
  auto open_period = db_.Prepare("DELETE FROM closed_periods WHERE period = ?");
  auto field = [](const protocol::Notice& n, const char* name) {
    auto it = n.fields.find(name);
    return it == n.fields.end() ? std::string() : it->second;
  };
  for (const protocol::Notice& n : notices) {
    if (n.id <= applied_up_to) continue;  // already applied: a repeated reply changes nothing
    if (n.kind == "return") {
      save_return.Bind(1, field(n, "dataset")).Bind(2, field(n, "period"));
      save_return.Bind(3, field(n, "state"));
      save_return.Bind(4, static_cast<std::int64_t>(std::stoll("0" + field(n, "revision"))));
      save_return.Bind(5, field(n, "comment"));
      save_return.Run();
    } else if (n.kind == "correction") {
      ApplyCorrectionInTransaction(n.fields);
    } else if (n.kind == "findings") {
      // Each notice carries the return's whole current list, so the latest wins.
      std::string lines = field(n, "findings");
      auto& stmt = lines.empty() ? clear_findings : save_findings;
      stmt.Bind(1, field(n, "dataset")).Bind(2, field(n, "period"));
      if (!lines.empty()) stmt.Bind(3, lines);
      stmt.Run();
    } else if (n.kind == "period") {
      auto& stmt = field(n, "state") == "closed" ? close_period : open_period;
      stmt.Bind(1, field(n, "period"));
      stmt.Run();
      stmt.Reset();
    } else if (n.kind == "hierarchy") {
      save_span.Bind(1, field(n, "valid_from")).Bind(2, field(n, "valid_to"));
      save_span.Bind(3, CanonicalJson(n.fields));
      save_span.Run();
    }  // a kind this agent does not know yet is skipped (a newer server)
    ++applied;
  }
  SetState("pull_cursor", std::to_string(std::max(applied_up_to, cursor)));
  txn.Commit();
  return applied;
}

std::vector<ServerReturn> LocalStore::ServerReturns() {
  auto stmt = db_.Prepare(
      "SELECT dataset, period, state, revision, comment FROM server_returns "
      "ORDER BY period DESC, dataset");
  std::vector<ServerReturn> out;
  while (stmt.Step()) {
    out.push_back({stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnText(2),
                   stmt.ColumnInt(3), stmt.ColumnText(4)});
  }
  return out;
}

std::vector<std::string> LocalStore::ClosedPeriods() {
  auto stmt = db_.Prepare("SELECT period FROM closed_periods ORDER BY period");
  std::vector<std::string> out;
  while (stmt.Step()) out.push_back(stmt.ColumnText(0));
  return out;
}

std::vector<ReturnFinding> LocalStore::ReturnFindings() {
  auto stmt = db_.Prepare(
      "SELECT dataset, period, findings FROM return_findings ORDER BY period DESC, dataset");
  std::vector<ReturnFinding> out;
  while (stmt.Step()) {
    std::string lines = stmt.ColumnText(2);
    std::size_t start = 0;
    while (start <= lines.size()) {
      std::size_t end = lines.find('\n', start);
      if (end == std::string::npos) end = lines.size();
      if (end > start) out.push_back({stmt.ColumnText(0), stmt.ColumnText(1),
                                      lines.substr(start, end - start)});
      start = end + 1;
    }
  }
  return out;
}

std::optional<FieldMap> LocalStore::HierarchyOn(const std::string& iso_date) {
  auto stmt = db_.Prepare(
      "SELECT fields FROM practice_hierarchy WHERE valid_from <= ? "
      "AND (valid_to = '' OR valid_to >= ?) ORDER BY valid_from DESC LIMIT 1");
  stmt.Bind(1, iso_date).Bind(2, iso_date);
  if (!stmt.Step()) return std::nullopt;
  return ParseFields(stmt.ColumnText(0));
}

}  // namespace tributary::agent

namespace tributary::agent {

void LocalStore::ApplyCorrectionInTransaction(const FieldMap& notice) {
  auto get = [&notice](const char* name) {
    auto it = notice.find(name);
    return it == notice.end() ? std::string() : it->second;
  };
  const DatasetDecl* dataset = datasets::Find(get("dataset"));
  if (dataset == nullptr) return;
  std::string key = get("key");
  auto pending = db_.Prepare(
      "SELECT seq FROM outbox WHERE dataset = ? AND record_key = ? ORDER BY seq DESC LIMIT 1");
  pending.Bind(1, get("dataset")).Bind(2, key);
  if (pending.Step()) {
    // The practice changed this record too and that change is on its way:
    // the server will hold both, and a person will choose. Keep ours meanwhile.
    auto finding = db_.Prepare(
        "INSERT OR REPLACE INTO findings (seq, outcome, detail) VALUES (?, 'conflict', ?)");
    finding.Bind(1, pending.ColumnInt(0));
    finding.Bind(2, get("dataset") + " " + key +
                        " was corrected centrally while this change was waiting; the PCN "
                        "manager will choose between them");
    finding.Run();
    return;
  }
  std::int64_t version = static_cast<std::int64_t>(std::stoull("0" + get("version")));
  if (get("op") == "delete") {
    auto remove = db_.Prepare("DELETE FROM records WHERE dataset = ? AND record_key = ?");
    remove.Bind(1, get("dataset")).Bind(2, key);
    remove.Run();
    return;
  }
  FieldMap fields = ParseFields(get("record"));
  auto upsert = db_.Prepare(
      "INSERT INTO records (dataset, record_key, period, fields, version) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (dataset, record_key) DO UPDATE SET period = excluded.period, "
      "fields = excluded.fields, version = excluded.version");
  upsert.Bind(1, get("dataset")).Bind(2, key).Bind(3, RecordPeriod(*dataset, fields));
  upsert.Bind(4, CanonicalJson(fields)).Bind(5, version);
  upsert.Run();
}

}  // namespace tributary::agent
