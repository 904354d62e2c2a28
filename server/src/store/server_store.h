// The server's store (embedded SQLite, or PostgreSQL: database/
// store_location.h): the owner of its one connection, the lock that
// serialises it and every transaction. Each responsibility works
// inside them through its own class, on the same connection:
//
//   agents, tokens, certificates, health    enrol/agent_registry.h
//   a push batch applied exactly once       ingest/batch_writer.h
//   records and their change log            reconcile/record_log.h
//   changes kept but not applied            reconcile/quarantine.h
//   conflicts, central corrections          reconcile/conflict_book.h, corrections.h
//   returns: states, revisions, history     returns/return_book.h
//   months and their published versions     periods/period_book.h, published_versions.h
//   kept rollup totals                      rollup/totals_store.h
//   the organisation hierarchy              orgs/hierarchy_store.h
//   people and their tokens                 users/user_store.h
//   the dashboard's sign-in sessions        users/web_sessions.h
//   the audit log                           audit/audit_log.h
//   person-key evaluations per practice     person_keys/evaluation_budget.h
//   what each practice is told              store/practice_feed.h, published_findings.h
//   the ICS data teams' change feed         feed/feed_journal.h (events), feed/feed_page.h
//   analysts' reporting tables and views    reporting/reporting_tables.h, reporting_views.h
//
// Each public method below is one transaction (or one consistent reading),
// so what it changes commits together or not at all; docs/design.md
// invariant 2: a batch's changes and the agent's high-water mark commit in
// one. Failures throw tributary::Error (kDatabase from SQLite, kCorruption
// for stored values that cannot be read back, kUnavailable when a PostgreSQL
// server cannot be reached, and as each method says).
//
// Thread-safe: every method takes the store's lock. The returned values are
// copies the caller owns; the store must outlive nothing it returns.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_checkpoints.h"
#include "audit/audit_log.h"
#include "database/connection.h"
#include "database/store_location.h"
#include "enrol/agent_registry.h"
#include "feed/feed_page.h"
#include "ingest/batch_writer.h"
#include "orgs/org_hierarchy.h"
#include "orgs/organisation.h"
#include "periods/period_book.h"
#include "periods/published_versions.h"
#include "reconcile/conflict_book.h"
#include "reconcile/quarantine.h"
#include "reporting/reporting_tables.h"
#include "reporting/reporting_views.h"
#include "returns/return_book.h"
#include "rollup/rollup_totals.h"
#include "rollup/totals_store.h"
#include "store/published_findings.h"
#include "tributary/common/dataset.h"
#include "tributary/common/hlc.h"
#include "tributary/common/pki.h"
#include "tributary/common/signing.h"
#include "tributary/protocol/messages.h"
#include "users/user.h"
#include "users/web_sessions.h"

namespace tributary::server {

// Per practice: what the server holds, for `practices` and the demo.
struct PracticeSummary {
  std::string practice;
  std::string last_sync;  // ISO time, "" if never
  struct Month {
    std::int64_t records = 0;
    std::int64_t appointments = 0;  // summed counts, appointments dataset only
  };
  std::map<std::string, std::map<std::string, Month>> datasets;  // dataset -> period -> month
};

// A record as the server holds it.
struct ServerRecord {
  std::string practice;
  std::string dataset;
  FieldMap fields;
};

// What one month's rollups are computed from (ServerStore::ReadRollupMonth).
struct RollupMonth {
  std::map<std::string, RollupTotals> totals;  // practice -> its kept totals
  // practice -> dataset -> state, for the month's returns anyone acted on.
  std::map<std::string, std::map<std::string, ReturnState>> returns;
};

// A month as `periods list` and GET /v1/periods show it.
struct PeriodSummary {
  PeriodStatus status;
  std::vector<PublishedVersion> versions;  // oldest first
};

// A published version's figures and the hierarchy they were computed under.
struct PublishedMonth {
  PublishedVersion version;
  std::vector<Organisation> organisations;
  std::vector<RollupRow> figures;
};

// A published version's lineage: what each return was when it was used.
struct PublishedLineage {
  PublishedVersion version;
  std::vector<Organisation> organisations;
  std::vector<LineageEntry> returns;
};

// Records' fields by practice, each practice's in key order.
using PracticeRecords = std::map<std::string, std::vector<FieldMap>>;

// What a published version used of one dataset, with its hierarchy.
struct PublishedRecords {
  PublishedVersion version;
  std::vector<Organisation> organisations;
  PracticeRecords records;  // the lineage's practices with returns of the dataset
};

// Whether a feed entry is the reader's: a record change or a return's event
// by (practice, "", period), a month's event by ("", ics, period).
using FeedScope = std::function<bool(const std::string& practice, const std::string& ics,
                                     const std::string& period)>;

// What the reporting refresher (reporting/reporting_refresher.h) is to do:
// the months changed since its last refresh, and the marks to record once
// they are written.
struct ReportingWork {
  std::int64_t mark = 0;             // feed_events' last id when read
  std::string hierarchy_sha256;      // the hierarchy's import when read
  std::vector<std::string> periods;  // to recompute, oldest first
};

// A record as the server holds it, with the version a correction must name.
struct HeldRecord {
  std::string key;
  FieldMap fields;
  std::uint64_t version = 0;
};

class ServerStore {
 public:
  // Told how a migration of an older store is getting on (it can take
  // minutes for a national store); may be empty.
  using MigrationProgress = std::function<void(const std::string& stage)>;

  // Opens or creates the store, migrating an older one in one transaction.
  // `clock` must outlive it. Throws tributary::Error.
  ServerStore(const db::StoreLocation& where, const Clock& clock,
              const MigrationProgress& progress = {});
  ServerStore(const ServerStore&) = delete;
  ServerStore& operator=(const ServerStore&) = delete;

  std::optional<std::string> GetSetting(const std::string& key);
  // Records `ca_sha256` as the CA the store belongs to unless one is
  // recorded already, in one transaction; returns the owner's.
  std::string ClaimCa(const std::string& ca_sha256) { return ClaimSetting("ca_sha256", ca_sha256); }
  // Binds the store to the CA `to` in place of `from` (a CA rollover,
  // enrol/ca_rollover.h), audited; nothing to do when it is bound to `to`
  // already. Throws Error(kConflict) when it belongs to neither.
  void ReplaceCa(const std::string& from, const std::string& to);
  // Records `value` under `key` unless a value is recorded already, in one
  // transaction; returns the recorded one (two instances claiming at once
  // both get the first's).
  std::string ClaimSetting(const std::string& key, const std::string& value);
  void SetSetting(const std::string& key, const std::string& value);

  void AddToken(const std::string& token_hash, const std::string& practice,
                std::int64_t expires_at_ms);

  // Checks the token and, if it is valid, calls `issue(practice)` and records
  // the token as used and the new agent and certificate — all in one
  // transaction, so a token enrols at most one agent.
  TokenRefusal EnrolWithToken(const std::string& token_hash,
                              const std::function<IssuedIdentity(const std::string&)>& issue);

  // The agent a certificate was issued to, whatever the certificate's state.
  std::optional<AgentIdentity> FindAgentByCertificate(const std::string& serial_hex);
  // The certificate's agent and state, for a request that presents it. Its
  // first use retires the agent's older certificates (after the overlap,
  // enrol/agent_registry.h), audited, in one transaction.
  std::optional<CertificateHolder> AuthenticateCertificate(const std::string& serial_hex);
  // When the agent last renewed its certificate (ms); 0 if never.
  std::int64_t LastRenewalMs(const std::string& agent_id);
  // Records a renewed certificate for an enrolled agent, audited, unless the
  // agent last renewed less than `min_interval_ms` ago
  // (then records nothing and returns false): checked in the same
  // transaction, so two renewals at once make one certificate.
  bool AddCertificate(const std::string& agent_id, const std::string& serial_hex,
                      std::int64_t not_after_ms, std::int64_t min_interval_ms);
  // Records what the agent said of its health (enrol/agent_registry.cc).
  // Returns the server's time it was recorded at.
  std::int64_t RecordHeartbeat(const AgentIdentity& agent, const protocol::Heartbeat& heartbeat);
  // An agent that pulled is alive: agents send a heartbeat only when their
  // health changed or hourly, so a pull counts as seen too.
  void MarkAgentSeen(const AgentIdentity& agent);
  // Every agent, newest enrolment of each practice first. Sorted by practice.
  std::vector<AgentStatus> AgentStatuses();
  // The same for `practices` only: what a page of one PCN or ICS reads.
  std::vector<AgentStatus> AgentStatusesOf(const std::vector<std::string>& practices);
  std::int64_t NowMillis() const { return clock_.NowMillis(); }
  // The certificates of revoked agents, and retired certificates, not yet
  // expired, for the CA's CRL.
  std::vector<pki::RevokedCertificate> RevokedCertificates();
  // Revokes every agent of the practice (they get 401 identity_revoked and
  // must enrol again). Audited. Returns how many were revoked.
  int RevokeAgents(const std::string& practice, const std::string& actor);

  // Applies a validated batch for `agent` exactly once (see the header comment).
  ApplyResult ApplyBatch(const AgentIdentity& agent, const protocol::PushBatch& batch,
                         const std::vector<CheckedChange>& checked);

  std::uint64_t AcknowledgedSeq(const std::string& agent_id);
  std::vector<PracticeSummary> Summaries();

  // Replaces the whole organisation hierarchy in one transaction. Returns
  // false, changing nothing, when the same file was the last one imported.
  bool ReplaceOrganisations(const std::vector<Organisation>& organisations,
                            const std::string& file_sha256);
  std::vector<Organisation> Organisations();
  // The hierarchy, built once per import and shared: every people's request
  // needs it, and building it for 6,300 practices took most of a query.
  std::shared_ptr<const OrgHierarchy> Hierarchy();

  // The id of the newest entry of the change log: it grows with every change
  // to any record (agents', corrections, resolutions), so a reading of
  // records is still current while it is unchanged. 0 before any.
  std::int64_t LastChangeId();

  // Readings of whole months (store/month_readings.cc). None gathers a
  // nation's month into memory.
  // The months that hold records, oldest first.
  std::vector<std::string> Periods();
  // Every record of one dataset and month, one at a time. `visit` must not
  // call the store.
  void VisitRecords(
      const std::string& period, const std::string& dataset,
      const std::function<void(const std::string& practice, const FieldMap& fields)>& visit);
  // One practice's records of a dataset and month, by key.
  std::vector<HeldRecord> RecordsOf(const std::string& practice, const std::string& dataset,
                                    const std::string& period);
  // Each practice's appointments per 1,000 registered patients in the month,
  // from its rollup totals: practices with appointments and a list size only.
  std::map<std::string, double> AppointmentsPerThousand(const std::string& period);

  // API users. The token is stored as its hash; adding a user is audited as
  // `actor`'s act. `user.expires_at_ms` 0: the token never expires.
  void AddUser(const User& user, const std::string& token_hash, const std::string& actor);
  // The user whose token this is, unless it is revoked or has expired.
  std::optional<User> FindUserByTokenHash(const std::string& token_hash);
  // Every user ever added, revoked and expired ones included.
  std::vector<User> Users();
  // Ends the user's access at once. Audited. Error(kNotFound) when there is
  // no such user, or their access is revoked already.
  void RevokeUser(const std::string& user_id, const std::string& actor);

  // The web dashboard's sign-in sessions (store/web_sessions.cc), shared by
  // every instance on the store. Adding one first removes those last used
  // before `idle_before_ms` or opened before `opened_before_ms`, then the
  // oldest until fewer than `max_sessions` remain, in one transaction.
  void AddWebSession(const StoredSession& session, std::int64_t idle_before_ms,
                     std::int64_t opened_before_ms, std::size_t max_sessions);
  std::optional<StoredSession> FindWebSession(const std::string& id_sha256);
  // Records a use at `now_ms` (never moving the last use back).
  void TouchWebSession(const std::string& id_sha256, std::int64_t now_ms);
  void EndWebSession(const std::string& id_sha256);
  std::size_t CountWebSessions();

  // Person keys (store/person_keys.cc): takes `count` evaluations from the
  // agent's practice's allowance for today (UTC) and gives today's total;
  // past `daily_limit` it takes nothing, audits the refusal (the agent the
  // actor) and gives nullopt.
  std::optional<std::int64_t> TakePersonKeyEvaluations(const AgentIdentity& agent,
                                                       std::int64_t count,
                                                       std::int64_t daily_limit);

  // The audit log (audit/audit_log.h, store/audit.cc). The audit key (64
  // hex characters, keys/server_keys.h): entries written from now on are
  // keyed, and keyed ones can be checked. Every command that writes sets it.
  void UseAuditKey(std::string key_hex);
  // The id of the first audit entry whose hash chain does not hold, or
  // nullopt when the whole log verifies.
  std::optional<std::int64_t> FirstBrokenAuditEntry();
  std::int64_t CountAuditEntries();
  // Records an act done outside the store (e.g. the server certificate
  // renewed) in the audit log, on its own.
  void RecordAudit(const std::string& actor, const std::string& action, const std::string& subject,
                   const std::string& detail);
  // Signs and keeps a checkpoint of the log as it is now; returns it.
  AuditCheckpoint CheckpointAudit(const signing::SigningKey& key);
  std::vector<AuditEntry> AuditEntries();
  std::vector<AuditCheckpoint> AuditCheckpointsKept();
  // Each of `checkpoints` (the store's own, and any kept elsewhere) checked
  // against the log as it is now: signed by `signing_public_key`, and the
  // log still holding at least its entries with its head where it was.
  // Returns a sentence for each that does not hold.
  std::vector<std::string> CheckAuditCheckpoints(const std::vector<AuditCheckpoint>& checkpoints,
                                                 const std::string& signing_public_key);

  // Returns (see returns/return_state.h for the states).
  ReturnStatus GetReturn(const ReturnKey& key);
  // Every return of these practices for the month: one per dataset.
  std::vector<ReturnStatus> ReturnsOf(const std::vector<std::string>& practices,
                                      const std::string& period);
  // A person acts on a return. `expected_revision`, when given, must match.
  // Illegal moves throw Error(kConflict). Audited.
  ReturnStatus ActOnReturn(const ReturnKey& key, ReturnAction action, const std::string& actor,
                           const std::string& comment,
                           std::optional<std::int64_t> expected_revision = std::nullopt);
  // Approves exactly these returns at these revisions, all or none.
  void ApproveReturns(const std::vector<std::pair<ReturnKey, std::int64_t>>& returns,
                      const std::string& actor);
  std::vector<ValueChange> ChangesSinceApproval(const ReturnKey& key);
  // The return's history, oldest first (returns/return_book.h).
  std::vector<ReturnEvent> ReturnHistory(const ReturnKey& key);
  // Why the practice's changes to this return were refused, latest first.
  std::vector<std::string> QuarantineReasons(const ReturnKey& key);
  // The practice's changes to this return that were kept but not applied
  // (invalid, or the month closed, or the return locked), latest first.
  std::vector<RefusedChange> RefusedChanges(const ReturnKey& key);

  // Months (store/periods.cc, periods/period_state.h). Each ICS closes and
  // publishes its own months.
  PeriodStatus GetPeriod(const std::string& ics, const std::string& period);
  // Closes or reopens the ICS's month; every practice of it hears of it.
  // Audited. An illegal move throws Error(kConflict) and changes nothing.
  PeriodStatus ActOnPeriod(const std::string& ics, const std::string& period, PeriodAction action,
                           const std::string& actor);
  // Writes the ICS's closed month's next published version (periods/
  // published_versions.h) from the records, returns and hierarchy held now,
  // in one transaction. Audited. Throws Error(kConflict) unless the month is
  // closed, Error(kNotFound) when the ICS has no practice that month.
  PublishedVersion PublishPeriod(const std::string& ics, const std::string& period,
                                 const std::string& actor);
  // Every month of the ICS that has records, a state someone set, or a
  // published version, oldest first.
  std::vector<PeriodSummary> PeriodSummaries(const std::string& ics);
  // Every published version of every ICS.
  std::vector<PublishedVersion> AllPublishedVersions();
  // A published version (the month's newest when `version` is nullopt);
  // nullopt when there is none.
  std::optional<PublishedMonth> ReadPublished(const std::string& ics, const std::string& period,
                                              std::optional<std::int64_t> version);
  std::optional<PublishedLineage> ReadLineage(const std::string& ics, const std::string& period,
                                              std::optional<std::int64_t> version);
  // Recomputes every published version's figures from the records its
  // lineage names and lists every difference (`rollups verify`): records
  // that no longer match their hash, figures that do not follow from them,
  // a return whose records changed without a new revision. Empty: all hold.
  std::vector<std::string> PublishedDifferences();
  // A person corrects a record centrally (corrections.cc). `base_version`
  // must be the version they read, else Error(kConflict). The practice hears
  // of it through its feed. Audited with the previous value. Returns the new
  // version.
  std::uint64_t CorrectRecord(const std::string& practice, const std::string& dataset,
                              const FieldMap& fields, std::uint64_t base_version,
                              const std::string& actor);
  std::optional<std::pair<FieldMap, std::uint64_t>> FindRecord(const std::string& practice,
                                                               const std::string& dataset,
                                                               const std::string& key);
  // Unresolved conflicts of these practices.
  std::vector<RecordConflict> OpenConflicts(const std::vector<std::string>& practices);
  std::optional<RecordConflict> FindConflict(std::int64_t id);
  // Resolves a conflict: keeps the practice's value, the central one, or
  // `fields` as a new value; the result reaches the practice through its feed.
  void ResolveConflict(std::int64_t id, ConflictChoice choice, const FieldMap& fields,
                       const std::string& actor);

  // What a month's rollups are computed from, for `practices` (nullopt:
  // every practice), read at one moment: the totals kept for each practice
  // (stale ones re-totalled first) and the states of its returns.
  RollupMonth ReadRollupMonth(const std::string& period,
                              const std::optional<std::vector<std::string>>& practices);
  // The same from the approved revisions' records only: the totals of each
  // return that is approved or locked, as it was approved
  // (store/approved_readings.cc).
  RollupMonth ReadApprovedMonth(const std::string& period,
                                const std::optional<std::vector<std::string>>& practices);
  // Recomputes every practice-month's totals from the records and lists
  // where the kept ones differ (`rollups verify`); empty when all agree.
  std::vector<std::string> RollupDifferences();

  // Months whose cross-practice findings are to be republished, with their
  // marks, and the publishing itself (see store/published_findings.h).
  std::map<std::string, std::int64_t> StaleFindingPeriods();
  std::size_t PublishFindings(const std::string& period, const FindingsByReturn& findings,
                              std::int64_t mark);
  // Whether this process publishes findings: one instance at a time on a
  // store several share (database/connection.h, TryLead).
  bool LeadsFindings();

  // Analysts' reporting views (store/reporting.cc, reporting/). nullopt
  // unless a role was ever granted them (they are refreshed only then).
  // Every month is to be recomputed the first time and after a new
  // hierarchy; after that, the months of the feed's events since the last.
  std::optional<ReportingWork> PendingReportingWork();
  // Replaces one ICS's month in one transaction, unless a refresh at a
  // later mark wrote it (then returns false).
  bool WriteReportingMonth(const ReportingMonth& month, std::int64_t mark);
  // Removes the month's ICSs not in `icss` that were written at `mark` or before.
  void KeepReportingIcss(const std::string& period, const std::vector<std::string>& icss,
                         std::int64_t mark);
  // Records that everything up to `work.mark` is refreshed (never moving back).
  void FinishReporting(const ReportingWork& work);
  // Whether this process refreshes the reporting tables: one instance at a
  // time, as for findings.
  bool LeadsReporting();
  // Creates the views and the role and sets its ICSs, in one transaction,
  // audited as `actor`'s (reporting/reporting_views.h). Error(kNotFound)
  // for an ICS the hierarchy has never had.
  ReportingGrantResult GrantReporting(const ReportingGrant& grant, const std::string& actor);
  // Returns how many ICSs the role could read. Audited.
  int RevokeReporting(const std::string& role, const std::string& schema, const std::string& actor);

  // Data exports (store/export_readings.cc). One month's records of
  // `dataset` for each of `practices` (a practice without any maps to an
  // empty list): as held now, or with `approved_only` as each approved or
  // locked return was approved (other returns give none).
  PracticeRecords ReadMonthRecords(const std::string& period, const std::string& dataset,
                                   const std::vector<std::string>& practices, bool approved_only);
  // The records of `dataset` a published version of the ICS's month used
  // (its newest when `version` is nullopt), with the version's hierarchy;
  // nullopt when there is no such version.
  std::optional<PublishedRecords> ReadPublishedRecords(const std::string& ics,
                                                       const std::string& period,
                                                       std::optional<std::int64_t> version,
                                                       const std::string& dataset);

  // The ICS data teams' change feed after `after` (feed/feed_page.h): up to
  // `limit` entries for which `in_scope` holds, in commit order, read in one
  // snapshot. `in_scope` is called under the store's lock: it must not call
  // the store. A page looks at no more than some 100,000 entries, so it may
  // hold fewer than `limit` and still say `more`. Throws Error(kConflict)
  // for a position past the end of either source (a restored store), and
  // Error(kCorruption) for a logged change it cannot read.
  FeedPage ReadFeed(FeedPosition after, std::size_t limit, const FeedScope& in_scope);

  // The practice's feed after `cursor` (see store/practice_feed.h).
  protocol::PullReply Pull(const std::string& practice, std::uint64_t cursor, std::size_t limit);

  // Test and verification helpers: how many records and change-log entries.
  std::int64_t CountRecords(const std::string& practice, const std::string& dataset);
  std::int64_t CountChanges(const std::string& practice);

 private:
  void Migrate(const MigrationProgress& progress);
  // The transaction of a method; each takes the lock first.
  void RefreshStaleRollupsLocked(const std::optional<std::string>& period);
  std::vector<Organisation> OrganisationsLocked();
  std::shared_ptr<const OrgHierarchy> HierarchyLocked();
  std::vector<std::string> PeriodsLocked();
  // Whether the practice's ICS closed the month, by the month's hierarchy.
  MonthClosed MonthClosedCheckLocked(PeriodBook& periods);
  // The states of the month's returns that anyone acted on, into `month`.
  void ReadReturnStatesLocked(const std::string& period,
                              const std::optional<std::vector<std::string>>& practices,
                              RollupMonth& month);
  // A return's records from the records table, by key.
  KeyedRecords ReturnRecordsLocked(const ReturnKey& key);
  // A published version with its hierarchy (and lineage, `with_returns`).
  std::optional<PublishedLineage> ReadVersion(const std::string& ics, const std::string& period,
                                              std::optional<std::int64_t> version,
                                              bool with_returns);
  std::int64_t NowMs() const { return clock_.NowMillis(); }
  // The findings publisher's leadership (database/connection.h, TryLead).
  static constexpr std::int32_t kFindingsLeaderKey = 2;
  static constexpr std::int32_t kReportingLeaderKey = 3;

  std::mutex mutex_;
  std::unique_ptr<db::Connection> connection_;
  db::Connection& db_;
  const Clock& clock_;
  std::string audit_key_;  // UseAuditKey; empty: audit entries are written unkeyed
  // Null until first asked; built again when the store's hierarchy is
  // another import's than `hierarchy_sha256_` (this process's, or another's).
  std::shared_ptr<const OrgHierarchy> hierarchy_;
  std::string hierarchy_sha256_;
};

}  // namespace tributary::server
