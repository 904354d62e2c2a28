#include "store/server_store.h"

#include <ctime>
#include <limits>
#include <set>

#include "orgs/org_hierarchy.h"
#include "rollup/rollup_service.h"
#include "rollup/rollup_totals_codec.h"
#include "store/practice_feed.h"
#include "store/stored_fields.h"

#include "tributary/common/dates.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/protocol/codec.h"

namespace tributary::server {
namespace {

// 2: records_by_month, and the appointment rate kept beside the rollup
// totals (a server of schema 1 would not keep it, so it must refuse).
// 3: rollup totals kept binary (a server of schema 2 would read them as JSON).
// 4: months closed and published, every change a new revision of its return,
// users' tokens expire (a server of schema 3 would apply a closed month's
// changes and honour expired tokens).
constexpr int kSchemaVersion = 4;

// SQLite's page cache for the store's connection, in KiB. Its default (2 MB)
// holds a small part of a national month's kept rollup totals (~40 MB), so
// each ICS reading fetched its practices' pages from the kernel again (a
// quarter of its time); this holds them and the indexes readings walk.
constexpr int kPageCacheKib = 64 * 1024;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One-time enrolment tokens, stored as SHA-256 hashes only.
CREATE TABLE IF NOT EXISTS tokens (
  token_hash    TEXT PRIMARY KEY,
  practice      TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  used_at_ms    INTEGER,
  used_by_agent TEXT
) WITHOUT ROWID;

-- An agent is one enrolled installation; its high-water mark is the last seq
-- applied from it.
CREATE TABLE IF NOT EXISTS agents (
  agent_id         TEXT PRIMARY KEY,
  practice         TEXT NOT NULL,
  enrolled_at_ms   INTEGER NOT NULL,
  acknowledged_seq INTEGER NOT NULL DEFAULT 0,
  last_sync_ms     INTEGER,
  revoked_at_ms    INTEGER
) WITHOUT ROWID;

-- What each agent last said of its health (POST /v1/agent/heartbeat).
CREATE TABLE IF NOT EXISTS agent_health (
  agent_id                 TEXT PRIMARY KEY REFERENCES agents (agent_id),
  seen_at_ms               INTEGER NOT NULL,
  agent_version            TEXT NOT NULL,
  queue_depth              INTEGER NOT NULL,
  last_seq                 INTEGER NOT NULL,
  store_bytes              INTEGER NOT NULL,
  clock_skew_ms            INTEGER NOT NULL,
  certificate_not_after_ms INTEGER NOT NULL,
  last_error               TEXT NOT NULL,
  imports_paused           INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS certificates (
  serial_hex   TEXT PRIMARY KEY,
  agent_id     TEXT NOT NULL REFERENCES agents (agent_id),
  issued_at_ms INTEGER NOT NULL,
  not_after_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- The current value of every record, per practice.
CREATE TABLE IF NOT EXISTS records (
  practice      TEXT NOT NULL,
  dataset       TEXT NOT NULL,
  record_key    TEXT NOT NULL,
  period        TEXT NOT NULL,
  fields        TEXT NOT NULL,
  version       INTEGER NOT NULL,
  origin        TEXT NOT NULL,   -- agent id, or user for central corrections
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (practice, dataset, record_key)
) WITHOUT ROWID;
-- By month first: the readings that look at a whole month (rollup totals,
-- cross-practice rules, the months held) find it without scanning the nation,
-- and a practice's month is still one range. Replaces records_by_period
-- (practice first), which the same writes kept for fewer readers.
DROP INDEX IF EXISTS records_by_period;
CREATE INDEX IF NOT EXISTS records_by_month ON records (period, dataset, practice);

-- Every change applied, append-only: who, when, and what it replaced.
CREATE TABLE IF NOT EXISTS change_log (
  id              INTEGER PRIMARY KEY,
  practice        TEXT NOT NULL,
  dataset         TEXT NOT NULL,
  record_key      TEXT NOT NULL,
  op              TEXT NOT NULL,
  fields          TEXT,
  previous_fields TEXT,
  version         INTEGER NOT NULL,
  base_version    INTEGER NOT NULL,
  origin          TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  received_at_ms  INTEGER NOT NULL
);

-- Changes that failed validation: kept, visible, fixable by a later change.
CREATE TABLE IF NOT EXISTS quarantine (
  agent_id       TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  practice       TEXT NOT NULL,
  dataset        TEXT NOT NULL,
  record_key     TEXT NOT NULL,
  period         TEXT NOT NULL,  -- '' when the change names no month
  fields         TEXT,
  reasons        TEXT NOT NULL,
  received_at_ms INTEGER NOT NULL,
  code           TEXT NOT NULL DEFAULT 'invalid',  -- invalid, period_closed, return_locked
  PRIMARY KEY (agent_id, seq)
) WITHOUT ROWID;

-- Changes based on a version that something else has since replaced.
CREATE TABLE IF NOT EXISTS conflicts (
  id              INTEGER PRIMARY KEY,
  practice        TEXT NOT NULL,
  dataset         TEXT NOT NULL,
  record_key      TEXT NOT NULL,
  agent_id        TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  op              TEXT NOT NULL,
  fields          TEXT,
  version         INTEGER NOT NULL,
  base_version    INTEGER NOT NULL,
  current_version INTEGER NOT NULL,
  received_at_ms  INTEGER NOT NULL,
  resolved_at_ms  INTEGER,
  resolution      TEXT,          -- practice, central or new
  resolved_by     TEXT
);

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

-- What each practice's month adds to the rollups (rollup/rollup_totals.h).
-- A change to its records marks it stale in the same transaction; the next
-- reading of that month re-totals the stale ones first, so a reading always
-- agrees with the records while ingest stays cheap.
-- The practice's own appointment rate is kept beside them, for the
-- cross-practice rules: reading thirteen months of a nation's totals to
-- find it would parse a gigabyte of JSON (its index: KeepAppointmentRates).
CREATE TABLE IF NOT EXISTS rollup_practice_months (
  period   TEXT NOT NULL,
  practice TEXT NOT NULL,
  totals   BLOB NOT NULL,  -- rollup/rollup_totals_codec.h (TEXT in stores made before schema 3)
  appointments_per_thousand REAL,  -- NULL without appointments and a list size
  PRIMARY KEY (period, practice)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollup_stale (
  period   TEXT NOT NULL,
  practice TEXT NOT NULL,
  PRIMARY KEY (period, practice)
) WITHOUT ROWID;

-- People who use the API. Tokens are stored as SHA-256 hashes only.
CREATE TABLE IF NOT EXISTS users (
  user_id       TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL,
  scope         TEXT NOT NULL,
  token_hash    TEXT NOT NULL UNIQUE,
  created_at_ms INTEGER NOT NULL,
  revoked_at_ms INTEGER,
  expires_at_ms INTEGER NOT NULL DEFAULT 9223372036854775807
) WITHOUT ROWID;

-- Who did what, append-only. Each entry's hash covers the previous entry's
-- hash, so an edited or deleted entry breaks the chain (docs/design.md invariant 6).
CREATE TABLE IF NOT EXISTS audit_log (
  id            INTEGER PRIMARY KEY,
  at_ms         INTEGER NOT NULL,
  actor         TEXT NOT NULL,
  action        TEXT NOT NULL,
  subject       TEXT NOT NULL,
  detail        TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  hash          TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";

std::int64_t Signed(std::uint64_t v) { return static_cast<std::int64_t>(v); }
std::uint64_t Unsigned(std::int64_t v) { return static_cast<std::uint64_t>(v); }

std::string IsoTime(std::int64_t ms) { return FormatUtc(ms); }

std::string ReasonsText(const std::vector<FieldFinding>& findings) {
  std::string text;
  for (const auto& f : findings) text += (text.empty() ? "" : "; ") + f.field + ": " + f.reason;
  return text;
}

}  // namespace

ServerStore::ServerStore(const std::filesystem::path& path, const Clock& clock)
    : db_(sqlite::Database::Open(path)), clock_(clock) {
  db_.Exec("PRAGMA cache_size = -" + std::to_string(kPageCacheKib));
  Migrate();
}

void ServerStore::Migrate() {
  std::lock_guard lock(mutex_);
  sqlite::Transaction txn(db_);
  db_.Exec(kSchema);
  int stored_version = kSchemaVersion;  // a new store is made at the current schema
  {
    auto stmt = db_.Prepare("SELECT value FROM settings WHERE key = 'schema_version'");
    if (stmt.Step()) {
      std::string text = stmt.ColumnText(0);
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
          text.size() > 6) {
        throw Error::Database("the store's schema_version '" + text + "' cannot be read");
      }
      stored_version = std::stoi(text);
    }
  }
  if (stored_version > kSchemaVersion) {
    throw Error::Conflict("the store was written by a newer tributary-server (schema " +
                          std::to_string(stored_version) + ")");
  }
  AddSchema4Columns();
  ReturnBook::CreateSchema(db_);
  PracticeFeed::CreateSchema(db_);
  PublishedFindings::CreateSchema(db_);
  PeriodBook::CreateSchema(db_);
  PublishedVersions::CreateSchema(db_);
  KeepAppointmentRates();
  bool retotalled = stored_version < 3 && RetotalJsonTotals() > 0;
  auto set = db_.Prepare(
      "INSERT INTO settings (key, value) VALUES ('schema_version', ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  set.Bind(1, std::to_string(kSchemaVersion));
  set.Run();
  txn.Commit();
  // Re-totalling a national store writes hundreds of megabytes to the WAL in
  // that one transaction; give the space back now rather than keep it.
  if (retotalled) db_.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

// Schema 4's columns on tables a store of schema 3 or before made without
// them. Users made before tokens expired get 90 days from the upgrade, the
// default lifetime of a new one.
void ServerStore::AddSchema4Columns() {
  if (!db_.HasColumn("quarantine", "code")) {
    db_.Exec("ALTER TABLE quarantine ADD COLUMN code TEXT NOT NULL DEFAULT 'invalid';"
             "UPDATE quarantine SET code = 'return_locked' WHERE reasons LIKE '%is locked%';");
  }
  if (!db_.HasColumn("users", "expires_at_ms")) {
    constexpr std::int64_t kNinetyDaysMs = 90LL * 24 * 3600 * 1000;
    db_.Exec("ALTER TABLE users ADD COLUMN expires_at_ms INTEGER NOT NULL "
             "DEFAULT 9223372036854775807");
    auto expire = db_.Prepare("UPDATE users SET expires_at_ms = ?");
    expire.Bind(1, NowMs() + kNinetyDaysMs);
    expire.Run();
  }
}

// The rate column and the index that reads it without the totals: a rate
// stored after 13 KB of totals is read by walking their overflow pages (24 ms
// for 630 practices' month, against 0.3 ms from this covering index). Stores
// made before the column get it filled from the totals they keep (the same
// division as AppointmentsPerThousand; `rollups verify` compares the two).
void ServerStore::KeepAppointmentRates() {
  auto column = db_.Prepare("SELECT 1 FROM pragma_table_info('rollup_practice_months') "
                            "WHERE name = 'appointments_per_thousand'");
  if (!column.Step()) {
    db_.Exec(
        "ALTER TABLE rollup_practice_months ADD COLUMN appointments_per_thousand REAL;"
        "UPDATE rollup_practice_months SET appointments_per_thousand = "
        "json_extract(totals, '$.appointments_with_list') / "
        "json_extract(totals, '$.list_for_appointments') * 1000 "
        "WHERE json_extract(totals, '$.practices_appointment_rate') > 0;");
  }
  db_.Exec(
      "CREATE INDEX IF NOT EXISTS rollup_rates "
      "ON rollup_practice_months (period, practice, appointments_per_thousand)");
}

// Schema 3 keeps totals in the binary form every rollup read decodes instead
// of parsing JSON (rollup/rollup_totals_codec.h). Stores made before keep
// JSON, which they re-total from their records: converting the JSON would
// be quicker, but its decimal sums do not always read back to the doubles
// they were written from, and `rollups verify` compares exactly.
std::size_t ServerStore::RetotalJsonTotals() {
  std::vector<std::pair<std::string, std::string>> months;
  auto text = db_.Prepare(
      "SELECT period, practice FROM rollup_practice_months WHERE typeof(totals) = 'text'");
  while (text.Step()) months.emplace_back(text.ColumnText(0), text.ColumnText(1));
  for (const auto& [period, practice] : months) RefreshRollupLocked(practice, period);
  return months.size();
}

std::optional<std::string> ServerStore::GetSetting(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare("SELECT value FROM settings WHERE key = ?");
  stmt.Bind(1, key);
  if (!stmt.Step()) return std::nullopt;
  return stmt.ColumnText(0);
}

void ServerStore::SetSetting(const std::string& key, const std::string& value) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare(
      "INSERT INTO settings (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  stmt.Bind(1, key).Bind(2, value);
  stmt.Run();
}

void ServerStore::AddToken(const std::string& token_hash, const std::string& practice,
                           std::int64_t expires_at_ms) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare(
      "INSERT INTO tokens (token_hash, practice, created_at_ms, expires_at_ms) "
      "VALUES (?, ?, ?, ?)");
  stmt.Bind(1, token_hash).Bind(2, practice).Bind(3, NowMs()).Bind(4, expires_at_ms);
  stmt.Run();
}

TokenRefusal ServerStore::EnrolWithToken(
    const std::string& token_hash,
    const std::function<IssuedIdentity(const std::string&)>& issue) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction txn(db_);
  auto find = db_.Prepare(
      "SELECT practice, expires_at_ms, used_at_ms IS NOT NULL FROM tokens WHERE token_hash = ?");
  find.Bind(1, token_hash);
  if (!find.Step()) return TokenRefusal::kUnknown;
  if (find.ColumnInt(2) != 0) return TokenRefusal::kUsed;
  if (find.ColumnInt(1) <= NowMs()) return TokenRefusal::kExpired;
  std::string practice = find.ColumnText(0);
  IssuedIdentity identity = issue(practice);
  auto use = db_.Prepare("UPDATE tokens SET used_at_ms = ?, used_by_agent = ? WHERE token_hash = ?");
  use.Bind(1, NowMs()).Bind(2, identity.agent_id).Bind(3, token_hash);
  use.Run();
  auto agent = db_.Prepare(
      "INSERT INTO agents (agent_id, practice, enrolled_at_ms, acknowledged_seq) "
      "VALUES (?, ?, ?, ?)");
  agent.Bind(1, identity.agent_id).Bind(2, practice).Bind(3, NowMs());
  agent.Bind(4, Signed(identity.resume_after_seq));
  agent.Run();
  auto cert = db_.Prepare(
      "INSERT INTO certificates (serial_hex, agent_id, issued_at_ms, not_after_ms) "
      "VALUES (?, ?, ?, ?)");
  cert.Bind(1, identity.serial_hex).Bind(2, identity.agent_id).Bind(3, NowMs());
  cert.Bind(4, identity.not_after_ms);
  cert.Run();
  txn.Commit();
  return TokenRefusal::kNone;
}

std::optional<AgentIdentity> ServerStore::FindAgentByCertificate(const std::string& serial_hex) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare(
      "SELECT a.agent_id, a.practice, a.revoked_at_ms IS NOT NULL FROM certificates c "
      "JOIN agents a ON a.agent_id = c.agent_id WHERE c.serial_hex = ?");
  stmt.Bind(1, serial_hex);
  if (!stmt.Step()) return std::nullopt;
  return AgentIdentity{stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnInt(2) != 0};
}

ApplyResult ServerStore::ApplyBatch(const AgentIdentity& agent, const protocol::PushBatch& batch,
                                    const std::vector<CheckedChange>& checked) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction txn(db_);
  ApplyResult result;
  auto hwm_stmt = db_.Prepare("SELECT acknowledged_seq FROM agents WHERE agent_id = ?");
  hwm_stmt.Bind(1, agent.agent_id);
  if (!hwm_stmt.Step()) throw Error::NotFound("agent " + agent.agent_id + " is not registered");
  std::uint64_t hwm = Unsigned(hwm_stmt.ColumnInt(0));
  result.acknowledged_seq = hwm;
  if (batch.from_seq > hwm + 1) {
    result.gap = true;
    return result;  // rolled back: nothing to write
  }
  std::int64_t now = NowMs();
  auto current = db_.Prepare(
      "SELECT fields, version, origin, period FROM records "
      "WHERE practice = ? AND dataset = ? AND record_key = ?");
  auto upsert = db_.Prepare(
      "INSERT INTO records (practice, dataset, record_key, period, fields, version, origin, "
      "updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (practice, dataset, record_key) DO UPDATE SET period = excluded.period, "
      "fields = excluded.fields, version = excluded.version, origin = excluded.origin, "
      "updated_at_ms = excluded.updated_at_ms");
  auto remove = db_.Prepare(
      "DELETE FROM records WHERE practice = ? AND dataset = ? AND record_key = ?");
  auto log = db_.Prepare(
      "INSERT INTO change_log (practice, dataset, record_key, op, fields, previous_fields, "
      "version, base_version, origin, seq, received_at_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  auto quarantine = db_.Prepare(
      "INSERT OR REPLACE INTO quarantine (agent_id, seq, practice, dataset, record_key, period, "
      "fields, reasons, received_at_ms, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ReturnBook returns(db_);
  PeriodBook periods(db_);
  auto month_closed = [this, &periods, &agent](const std::string& p) {
    return MonthClosedForLocked(periods, agent.practice, p);
  };
  std::set<std::pair<std::string, std::string>> touched;  // (practice, period) to re-total
  auto conflict = db_.Prepare(
      "INSERT INTO conflicts (practice, dataset, record_key, agent_id, seq, op, fields, version, "
      "base_version, current_version, received_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

  for (const CheckedChange& item : checked) {
    const protocol::Change& c = *item.change;
    if (c.seq <= hwm) continue;  // already applied: a resent batch has no effect
    std::string fields_json = c.op == protocol::ChangeOp::kUpsert ? CanonicalJson(c.fields) : "";
    const DatasetDecl* dataset = datasets::Find(c.dataset);
    // Kept, never lost, but not applied: the practice is told why, and its
    // PCN manager sees it on the return.
    auto quarantine_change = [&](const std::vector<FieldFinding>& findings,
                                 const std::string& period, const char* code) {
      quarantine.Bind(1, agent.agent_id).Bind(2, Signed(c.seq)).Bind(3, agent.practice);
      quarantine.Bind(4, c.dataset).Bind(5, c.key).Bind(6, period).Bind(7, fields_json);
      quarantine.Bind(8, ReasonsText(findings)).Bind(9, now).Bind(10, code);
      quarantine.Run();
      result.outcomes.push_back({c.seq, protocol::Outcome::kInvalid, findings});
    };
    if (!item.findings.empty()) {
      quarantine_change(item.findings, dataset ? RecordPeriod(*dataset, c.fields) : "",
                        "invalid");
      continue;
    }
    current.Bind(1, agent.practice).Bind(2, c.dataset).Bind(3, c.key);
    std::optional<std::string> previous;
    std::string period = c.op == protocol::ChangeOp::kUpsert ? RecordPeriod(*dataset, c.fields) : "";
    bool is_submission = dataset == &datasets::Submission();
    if (current.Step()) {
      previous = current.ColumnText(0);
      if (period.empty()) period = current.ColumnText(3);
      std::uint64_t version = Unsigned(current.ColumnInt(1));
      std::string origin = current.ColumnText(2);
      // Someone else changed the record since this change's base: keep both
      // and let a person decide, never overwrite silently.
      if (origin != agent.agent_id && version != c.base_version) {
        current.Reset();
        conflict.Bind(1, agent.practice).Bind(2, c.dataset).Bind(3, c.key);
        conflict.Bind(4, agent.agent_id).Bind(5, Signed(c.seq));
        conflict.Bind(6, protocol::ChangeOpName(c.op)).Bind(7, fields_json);
        conflict.Bind(8, Signed(c.version)).Bind(9, Signed(c.base_version));
        conflict.Bind(10, Signed(version)).Bind(11, now);
        conflict.Run();
        result.outcomes.push_back(
            {c.seq, protocol::Outcome::kConflict,
             {{"record", "changed centrally since version " + std::to_string(c.base_version)}}});
        continue;
      }
    }
    current.Reset();
    if (is_submission && c.op != protocol::ChangeOp::kUpsert) {
      quarantine_change({{"op", "a submission cannot be withdrawn; ask the PCN manager"}}, period,
                        "invalid");
      continue;
    }
    ReturnKey return_key{agent.practice, is_submission ? c.fields.at("dataset") : c.dataset,
                         period};
    if (!period.empty() && month_closed(period)) {
      quarantine_change({{"period", "period_closed: " + period +
                                        " is closed by the ICS; the change is kept and shown "
                                        "to the PCN manager, who can correct the record"}},
                        period, "period_closed");
      continue;
    }
    if (!period.empty() && returns.Get(return_key).state == ReturnState::kLocked) {
      quarantine_change({{"period", "the " + return_key.ToString() +
                                        " return is locked; ask the PCN manager"}},
                        period, "return_locked");
      continue;
    }
    if (c.op == protocol::ChangeOp::kUpsert) {
      upsert.Bind(1, agent.practice).Bind(2, c.dataset).Bind(3, c.key);
      upsert.Bind(4, period).Bind(5, fields_json);
      upsert.Bind(6, Signed(c.version)).Bind(7, agent.agent_id).Bind(8, now);
      upsert.Run();
    } else {
      remove.Bind(1, agent.practice).Bind(2, c.dataset).Bind(3, c.key);
      remove.Run();
    }
    log.Bind(1, agent.practice).Bind(2, c.dataset).Bind(3, c.key);
    log.Bind(4, protocol::ChangeOpName(c.op));
    if (c.op == protocol::ChangeOp::kUpsert) log.Bind(5, fields_json); else log.BindNull(5);
    log.BindOptional(6, previous);
    log.Bind(7, Signed(c.version)).Bind(8, Signed(c.base_version)).Bind(9, agent.agent_id);
    log.Bind(10, Signed(c.seq)).Bind(11, now);
    log.Run();
    if (is_submission) {
      // The changes made before it come first in the return's history.
      returns.FinishChanges(agent.agent_id, now, month_closed);
      // Submitting what is already submitted or approved changes nothing.
      ReturnState state = returns.Get(return_key).state;
      if (NextState(state, ReturnAction::kSubmit)) {
        returns.Apply(return_key, ReturnAction::kSubmit, agent.agent_id, "", now);
      }
    } else if (!period.empty()) {
      returns.NoteChange(return_key, c.op == protocol::ChangeOp::kDelete);
      touched.emplace(agent.practice, period);
    }
    ++result.accepted;
  }
  returns.FinishChanges(agent.agent_id, now, month_closed);
  for (const auto& [practice, period] : touched) MarkMonthChangedLocked(practice, period);
  std::uint64_t new_hwm = std::max(hwm, batch.to_seq);
  auto advance = db_.Prepare(
      "UPDATE agents SET acknowledged_seq = ?, last_sync_ms = ? WHERE agent_id = ?");
  advance.Bind(1, Signed(new_hwm)).Bind(2, now).Bind(3, agent.agent_id);
  advance.Run();
  txn.Commit();
  result.acknowledged_seq = new_hwm;
  return result;
}

std::uint64_t ServerStore::AcknowledgedSeq(const std::string& agent_id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare("SELECT acknowledged_seq FROM agents WHERE agent_id = ?");
  stmt.Bind(1, agent_id);
  return stmt.Step() ? Unsigned(stmt.ColumnInt(0)) : 0;
}

std::vector<PracticeSummary> ServerStore::Summaries() {
  std::lock_guard lock(mutex_);
  std::map<std::string, PracticeSummary> by_practice;
  auto syncs = db_.Prepare("SELECT practice, max(last_sync_ms) FROM agents GROUP BY practice");
  while (syncs.Step()) {
    PracticeSummary& s = by_practice[syncs.ColumnText(0)];
    s.practice = syncs.ColumnText(0);
    if (!syncs.ColumnIsNull(1)) s.last_sync = IsoTime(syncs.ColumnInt(1));
  }
  auto counts = db_.Prepare(
      "SELECT practice, dataset, period, count(*), "
      "coalesce(sum(CASE WHEN dataset = 'appointments' "
      "THEN CAST(json_extract(fields, '$.count') AS INTEGER) END), 0) "
      "FROM records GROUP BY period, dataset, practice");  // records_by_month's order
  while (counts.Step()) {
    PracticeSummary& s = by_practice[counts.ColumnText(0)];
    s.practice = counts.ColumnText(0);
    PracticeSummary::Month& m = s.datasets[counts.ColumnText(1)][counts.ColumnText(2)];
    m.records = counts.ColumnInt(3);
    m.appointments = counts.ColumnInt(4);
  }
  std::vector<PracticeSummary> out;
  for (auto& [code, summary] : by_practice) out.push_back(std::move(summary));
  return out;
}

std::int64_t ServerStore::CountRecords(const std::string& practice, const std::string& dataset) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare("SELECT count(*) FROM records WHERE practice = ? AND dataset = ?");
  stmt.Bind(1, practice).Bind(2, dataset);
  stmt.Step();
  return stmt.ColumnInt(0);
}

std::int64_t ServerStore::CountChanges(const std::string& practice) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare("SELECT count(*) FROM change_log WHERE practice = ?");
  stmt.Bind(1, practice);
  stmt.Step();
  return stmt.ColumnInt(0);
}

}  // namespace tributary::server

namespace tributary::server {

bool ServerStore::ReplaceOrganisations(const std::vector<Organisation>& organisations,
                                       const std::string& file_sha256) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction txn(db_);
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
  // Each practice hears where it sits, span by span.
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
    feed.Append(o.code, "hierarchy", chain, NowMs());
  }
  AppendAuditLocked("operator", "orgs_import", "hierarchy",
                    std::to_string(organisations.size()) + " rows, sha256 " + file_sha256);
  auto setting = db_.Prepare(
      "INSERT INTO settings (key, value) VALUES ('organisations_sha256', ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  setting.Bind(1, file_sha256);
  setting.Run();
  txn.Commit();
  hierarchy_.reset();
  return true;
}

std::vector<Organisation> ServerStore::Organisations() {
  std::lock_guard lock(mutex_);
  return OrganisationsLocked();
}

std::shared_ptr<const OrgHierarchy> ServerStore::Hierarchy() {
  std::lock_guard lock(mutex_);
  return HierarchyLocked();
}

std::shared_ptr<const OrgHierarchy> ServerStore::HierarchyLocked() {
  if (!hierarchy_) hierarchy_ = std::make_shared<const OrgHierarchy>(OrganisationsLocked());
  return hierarchy_;
}

std::vector<Organisation> ServerStore::OrganisationsLocked() {
  auto stmt = db_.Prepare(
      "SELECT code, name, org_type, coalesce(parent, ''), valid_from, coalesce(valid_to, '') "
      "FROM organisations ORDER BY code, valid_from");
  std::vector<Organisation> out;
  while (stmt.Step()) {
    Organisation o;
    o.code = stmt.ColumnText(0);
    o.name = stmt.ColumnText(1);
    std::string type = stmt.ColumnText(2);
    std::optional<OrgLevel> level = ParseOrgType(type);
    if (!level) {
      throw Error::Database("organisation " + o.code + " has an unreadable type '" + type +
                            "' in the store");
    }
    o.level = *level;
    o.parent = stmt.ColumnText(3);
    o.valid_from = stmt.ColumnText(4);
    o.valid_to = stmt.ColumnText(5);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace tributary::server

namespace tributary::server {
namespace {

std::string AuditHash(const std::string& previous_hash, std::int64_t at_ms,
                      const std::string& actor, const std::string& action,
                      const std::string& subject, const std::string& detail) {
  // Length-prefixed fields, so no two different entries hash the same text.
  std::string text = previous_hash;
  for (const std::string& field :
       {std::to_string(at_ms), actor, action, subject, detail}) {
    text += "\n" + std::to_string(field.size()) + ":" + field;
  }
  return digest::Sha256Hex(text);
}

constexpr const char* kUserColumns =
    "user_id, name, role, scope, created_at_ms, expires_at_ms, coalesce(revoked_at_ms, 0)";

User ReadUser(sqlite::Statement& stmt) {
  User u;
  u.user_id = stmt.ColumnText(0);
  u.name = stmt.ColumnText(1);
  std::string role = stmt.ColumnText(2);
  std::optional<Role> parsed = ParseRole(role);
  if (!parsed) {
    // Never guess a role: a guess could grant more than was given.
    throw Error::Database("user " + u.user_id + " has an unreadable role '" + role +
                          "' in the store");
  }
  u.role = *parsed;
  u.scope = stmt.ColumnText(3);
  u.created_at_ms = stmt.ColumnInt(4);
  u.expires_at_ms = stmt.ColumnInt(5);
  u.revoked_at_ms = stmt.ColumnInt(6);
  return u;
}

}  // namespace

void ServerStore::AppendAuditLocked(const std::string& actor, const std::string& action,
                                    const std::string& subject, const std::string& detail) {
  auto last = db_.Prepare("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1");
  std::string previous = last.Step() ? last.ColumnText(0) : std::string(64, '0');
  std::int64_t at = NowMs();
  auto insert = db_.Prepare(
      "INSERT INTO audit_log (at_ms, actor, action, subject, detail, previous_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  insert.Bind(1, at).Bind(2, actor).Bind(3, action).Bind(4, subject).Bind(5, detail);
  insert.Bind(6, previous).Bind(7, AuditHash(previous, at, actor, action, subject, detail));
  insert.Run();
}

void ServerStore::AddUser(const User& user, const std::string& token_hash,
                          const std::string& actor) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction txn(db_);
  auto insert = db_.Prepare(
      "INSERT INTO users (user_id, name, role, scope, token_hash, created_at_ms, expires_at_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  std::int64_t expires = user.expires_at_ms > 0 ? user.expires_at_ms
                                                : std::numeric_limits<std::int64_t>::max();
  insert.Bind(1, user.user_id).Bind(2, user.name).Bind(3, RoleName(user.role));
  insert.Bind(4, user.scope).Bind(5, token_hash).Bind(6, NowMs()).Bind(7, expires);
  insert.Run();
  AppendAuditLocked(actor, "user_add", user.user_id,
                    user.name + " as " + std::string(RoleName(user.role)) + " of " + user.scope +
                        (user.expires_at_ms > 0 ? ", until " + FormatUtc(expires) : ""));
  txn.Commit();
}

std::optional<User> ServerStore::FindUserByTokenHash(const std::string& token_hash) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare(std::string("SELECT ") + kUserColumns +
                          " FROM users WHERE token_hash = ? AND revoked_at_ms IS NULL "
                          "AND expires_at_ms > ?");
  stmt.Bind(1, token_hash).Bind(2, NowMs());
  if (!stmt.Step()) return std::nullopt;
  return ReadUser(stmt);
}

std::vector<User> ServerStore::Users() {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare(std::string("SELECT ") + kUserColumns +
                          " FROM users ORDER BY scope, role, name, created_at_ms");
  std::vector<User> users;
  while (stmt.Step()) users.push_back(ReadUser(stmt));
  return users;
}

void ServerStore::RevokeUser(const std::string& user_id, const std::string& actor) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction txn(db_);
  auto revoke = db_.Prepare(
      "UPDATE users SET revoked_at_ms = ? WHERE user_id = ? AND revoked_at_ms IS NULL");
  revoke.Bind(1, NowMs()).Bind(2, user_id);
  revoke.Run();
  if (db_.Changes() == 0) {
    throw Error::NotFound("no user " + user_id + " with access to revoke");
  }
  AppendAuditLocked(actor, "user_revoke", user_id, "access revoked");
  txn.Commit();
}

std::int64_t ServerStore::CountAuditEntries() {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare("SELECT count(*) FROM audit_log");
  stmt.Step();
  return stmt.ColumnInt(0);
}

std::optional<std::int64_t> ServerStore::FirstBrokenAuditEntry() {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare(
      "SELECT id, at_ms, actor, action, subject, detail, previous_hash, hash "
      "FROM audit_log ORDER BY id");
  std::string previous(64, '0');
  while (stmt.Step()) {
    std::string expected = AuditHash(previous, stmt.ColumnInt(1), stmt.ColumnText(2),
                                     stmt.ColumnText(3), stmt.ColumnText(4), stmt.ColumnText(5));
    if (stmt.ColumnText(6) != previous || stmt.ColumnText(7) != expected) {
      return stmt.ColumnInt(0);
    }
    previous = stmt.ColumnText(7);
  }
  return std::nullopt;
}

}  // namespace tributary::server

