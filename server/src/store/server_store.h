// The server's store (embedded SQLite): enrolment tokens, agents and their
// certificates, the records every practice sent, the append-only change log,
// quarantined and conflicting changes, and each agent's high-water mark.
//
// docs/design.md invariant 2: a batch's changes and the agent's high-water mark are
// committed in one transaction, so a change takes effect exactly once.
//
// Thread-safe: one connection, serialised by a mutex.
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

#include "orgs/org_hierarchy.h"
#include "orgs/organisation.h"
#include "periods/period_book.h"
#include "periods/published_versions.h"
#include "returns/return_book.h"
#include "rollup/rollup_totals.h"
#include "store/published_findings.h"
#include "users/user.h"
#include "tributary/common/dataset.h"
#include "tributary/common/hlc.h"
#include "tributary/common/sqlite.h"
#include "tributary/protocol/messages.h"

namespace tributary::server {

struct AgentIdentity {
  std::string agent_id;
  std::string practice;
  bool revoked = false;
};

// What the enrolment service issues once a token has been accepted.
struct IssuedIdentity {
  std::string agent_id;
  std::string serial_hex;
  std::int64_t not_after_ms = 0;
  std::uint64_t resume_after_seq = 0;  // the new agent's high-water mark starts here
};

// What `tributary-server agents` shows of each practice's agent.
struct AgentStatus {
  std::string practice;
  std::string agent_id;
  bool revoked = false;
  std::int64_t enrolled_at_ms = 0;
  std::int64_t last_seen_ms = 0;            // last heartbeat or sync; 0: never
  std::string agent_version;
  std::uint64_t acknowledged_seq = 0;       // what the server holds
  std::uint64_t agent_last_seq = 0;         // what the agent had queued, as it last said
  std::uint64_t queue_depth = 0;
  std::uint64_t store_bytes = 0;
  std::int64_t clock_skew_ms = 0;           // agent's clock minus the server's
  std::int64_t certificate_not_after_ms = 0;
  std::string last_error;
  bool imports_paused = false;
};

enum class TokenRefusal { kNone, kUnknown, kUsed, kExpired };

// A change after the ingest service has validated it.
struct CheckedChange {
  const protocol::Change* change = nullptr;
  std::vector<FieldFinding> findings;  // empty: valid
};

struct ApplyResult {
  bool gap = false;                  // from_seq was past the high-water mark + 1
  std::uint64_t acknowledged_seq = 0;
  std::uint64_t accepted = 0;
  std::vector<protocol::ChangeOutcome> outcomes;  // invalid and conflicting changes
};

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

// A practice's change that met a central correction made since its base:
// both values are kept until a person chooses.
struct RecordConflict {
  std::int64_t id = 0;
  std::string practice;
  std::string dataset;
  std::string record_key;
  std::string period;
  std::string practice_op;      // "upsert" or "delete"
  FieldMap practice_fields;     // empty for a delete
  std::optional<FieldMap> central_fields;  // nullopt when the record is gone centrally
  std::uint64_t current_version = 0;
};

enum class ConflictChoice { kPractice, kCentral, kNew };

// A record as the server holds it.
struct ServerRecord {
  std::string practice;
  std::string dataset;
  FieldMap fields;
};

// A practice-month's rollup totals as stored: their bytes
// (rollup/rollup_totals_codec.h), and its own appointment rate beside them.
struct KeptTotals {
  std::string encoded;
  std::optional<double> appointments_per_thousand;
  bool operator==(const KeptTotals&) const = default;
};

// What one month's rollups are computed from (ServerStore::ReadRollupMonth).
struct RollupMonth {
  std::map<std::string, RollupTotals> totals;  // practice -> its kept totals
  // practice -> dataset -> state, for the month's returns anyone acted on.
  std::map<std::string, std::map<std::string, ReturnState>> returns;
};

// A practice's change the server kept but did not apply.
struct RefusedChange {
  std::uint64_t seq = 0;
  std::string record_key;
  std::string code;     // invalid, period_closed, return_locked
  std::string reasons;  // "FIELD: reason; ..."
  std::string fields;   // the change's canonical JSON; "" for a delete
  std::int64_t received_at_ms = 0;
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

// A record as the server holds it, with the version a correction must name.
struct HeldRecord {
  std::string key;
  FieldMap fields;
  std::uint64_t version = 0;
};

class ServerStore {
 public:
  // Opens or creates the store. `clock` must outlive it. Throws tributary::Error.
  ServerStore(const std::filesystem::path& path, const Clock& clock);
  ServerStore(const ServerStore&) = delete;
  ServerStore& operator=(const ServerStore&) = delete;

  std::optional<std::string> GetSetting(const std::string& key);
  void SetSetting(const std::string& key, const std::string& value);

  void AddToken(const std::string& token_hash, const std::string& practice,
                std::int64_t expires_at_ms);

  // Checks the token and, if it is valid, calls `issue(practice)` and records
  // the token as used and the new agent and certificate — all in one
  // transaction, so a token enrols at most one agent.
  TokenRefusal EnrolWithToken(const std::string& token_hash,
                              const std::function<IssuedIdentity(const std::string&)>& issue);

  std::optional<AgentIdentity> FindAgentByCertificate(const std::string& serial_hex);
  // A renewed certificate for an enrolled agent.
  void AddCertificate(const std::string& agent_id, const std::string& serial_hex,
                      std::int64_t not_after_ms);
  // Records what the agent said of its health (store/agent_health.cc).
  // Returns the server's time it was recorded at.
  std::int64_t RecordHeartbeat(const AgentIdentity& agent, const protocol::Heartbeat& heartbeat);
  // An agent that pulled is alive: agents send a heartbeat only when their
  // health changed or hourly, so a pull counts as seen too.
  void MarkAgentSeen(const AgentIdentity& agent);
  // Every agent, newest enrolment of each practice first. Sorted by practice.
  std::vector<AgentStatus> AgentStatuses();
  std::int64_t NowMillis() const { return clock_.NowMillis(); }
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

  // The id of the first audit entry whose hash chain does not hold, or
  // nullopt when the whole log verifies.
  std::optional<std::int64_t> FirstBrokenAuditEntry();
  std::int64_t CountAuditEntries();

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
  PeriodStatus ActOnPeriod(const std::string& ics, const std::string& period,
                           PeriodAction action, const std::string& actor);
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

  // The practice's feed after `cursor` (see store/practice_feed.h).
  protocol::PullReply Pull(const std::string& practice, std::uint64_t cursor, std::size_t limit);

  // Test and verification helpers: how many records and change-log entries.
  std::int64_t CountRecords(const std::string& practice, const std::string& dataset);
  std::int64_t CountChanges(const std::string& practice);

 private:
  void Migrate();
  void AddSchema4Columns();     // caller holds mutex_ and a transaction
  void KeepAppointmentRates();  // the same
  std::size_t RetotalJsonTotals();  // the same; how many it re-totalled
  // A practice-month's rollup totals from its records, or nullopt when it
  // adds nothing. Caller holds mutex_.
  std::optional<KeptTotals> ComputeRollupLocked(const std::string& practice,
                                                const std::string& period);
  void RefreshRollupLocked(const std::string& practice, const std::string& period);
  // The practice-month's records changed: its rollup totals and the month's
  // cross-practice findings are to be recomputed.
  void MarkMonthChangedLocked(const std::string& practice, const std::string& period);
  // Re-totals the stale practice-months (of one month, or all), in a transaction.
  void RefreshStaleRollupsLocked(const std::optional<std::string>& period);
  // Writes `fields` (nullopt: deletes) as the record's central value, with a
  // new version, a change-log entry, the return reopened if approved, and a
  // "correction" notice. Caller holds mutex_ and a transaction.
  std::uint64_t WriteCentralLocked(const std::string& practice, const std::string& dataset,
                                   const std::string& key, const std::optional<FieldMap>& fields,
                                   const std::string& actor);
  // Appends to the audit log; the caller holds mutex_ and a transaction.
  void AppendAuditLocked(const std::string& actor, const std::string& action,
                         const std::string& subject, const std::string& detail);
  std::int64_t NowMs() const { return clock_.NowMillis(); }

  std::vector<Organisation> OrganisationsLocked();
  std::shared_ptr<const OrgHierarchy> HierarchyLocked();
  std::vector<std::string> PeriodsLocked();
  // The states of the month's returns that anyone acted on, into `month`.
  void ReadReturnStatesLocked(const std::string& period,
                              const std::optional<std::vector<std::string>>& practices,
                              RollupMonth& month);
  // The ICS's practices in the month, by the hierarchy of its first day.
  std::vector<std::string> PracticesOfMonthLocked(const std::string& ics,
                                                  const std::string& period,
                                                  const OrgHierarchy& hierarchy);
  // Whether the month is closed for the practice: its ICS that month closed it.
  bool MonthClosedForLocked(PeriodBook& periods, const std::string& practice,
                            const std::string& period);
  // A return's records from the records table, by key.
  KeyedRecords ReturnRecordsLocked(const ReturnKey& key);

  std::mutex mutex_;
  sqlite::Database db_;
  const Clock& clock_;
  std::shared_ptr<const OrgHierarchy> hierarchy_;  // null until first asked; reset by an import
};

}  // namespace tributary::server
