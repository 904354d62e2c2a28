#include "daemon/agent_daemon.h"

#include <algorithm>
#include <limits>

#include "importer/file_import.h"
#include "tributary/common/error.h"
#include "tributary/common/log.h"

namespace tributary::agent {

AgentDaemon::AgentDaemon(LocalStore& store, DropFolder& drop, WakeSource& wake,
                         ServiceNotifier& notifier, const Clock& clock, DaemonServices services,
                         DaemonOptions options)
    : store_(store),
      drop_(drop),
      wake_(wake),
      notifier_(notifier),
      clock_(clock),
      services_(std::move(services)),
      options_(options),
      schedule_(options.sync, clock.NowMillis(), options.seed) {}

void AgentDaemon::Run() {
  drop_.ScanExisting(clock_.NowMillis());
  notifier_.Ready();
  log::Info("agent_started", "drop_folder=" + drop_.dir().string());
  while (!stopping_) {
    Step();
    if (stopping_) break;
    Handle(wake_.WaitUntil(NextWakeMs()));
  }
  notifier_.Stopping();
  log::Info("agent_stopped");
}

void AgentDaemon::Step() {
  std::int64_t now = clock_.NowMillis();
  ImportDueFiles(now);
  SyncIfDue(clock_.NowMillis());
  KeepAliveIfDue(clock_.NowMillis());
}

std::int64_t AgentDaemon::NextWakeMs() const {
  std::int64_t next = std::numeric_limits<std::int64_t>::max();
  if (!identity_refused_) next = schedule_.NextSyncMs();
  if (auto file = drop_.NextDueMs()) next = std::min(next, *file);
  if (notifier_.KeepAliveEvery()) next = std::min(next, next_keep_alive_ms_);
  return next;
}

void AgentDaemon::Handle(const Wake& wake) {
  std::int64_t now = clock_.NowMillis();
  if (wake.rescan) drop_.ScanExisting(now);
  for (const std::string& name : wake.files) drop_.OnFileEvent(name, now);
  if (wake.local_change) {
    schedule_.OnLocalChange(now);
    if (identity_refused_ &&
        store_.GetState("certificate_serial").value_or("") != refused_certificate_) {
      identity_refused_ = false;
      log::Info("identity_renewed", "enrolled again; syncing resumes");
    }
  }
  if (wake.reload) Reload();
  if (wake.stop) {
    log::Info("agent_stopping", "reason=signal");
    stopping_ = true;
  }
}

namespace {

std::string PatientLevelSummary(const std::filesystem::path& file, const FileImportResult& r) {
  std::string text =
      file.filename().string() + ": SHA-256 " + r.sha256 + ", " + std::to_string(r.rows) + " rows";
  if (r.already_imported) return text + "; imported before; the file was removed";
  return text + " read with profile " + r.profile + ", " +
         std::to_string(r.rows - r.rows_passed_over) + " appointments counted into " +
         std::to_string(r.records) + " daily rows (" + r.first_date + " to " + r.last_date +
         "); the file was removed: it held one row per appointment";
}

}  // namespace

void AgentDaemon::ImportDueFiles(std::int64_t now) {
  for (const std::filesystem::path& file : drop_.TakeDue(now)) {
    try {
      FileImportResult result = ImportFile(store_, file, nullptr, services_.import_settings(),
                                           FileOrigin::kDropFolder, file.filename().string());
      if (!result.problems.empty()) {
        auto moved = drop_.MoveToRejected(file, result.problems, now);
        log::Warning("file_rejected", "file=" + moved.string() +
                                          " problems=" + std::to_string(result.problem_count));
        continue;
      }
      store_.SetState("imports_paused", "");
      // One row per appointment: its counts are stored, its patients' rows are not kept.
      auto moved = result.patient_level
                       ? drop_.RemoveImported(file, PatientLevelSummary(file, result), now)
                       : drop_.MoveToProcessed(file, now);
      if (result.already_imported) {
        log::Info("file_already_imported", "file=" + moved.string());
        continue;
      }
      log::Info("file_imported",
                "file=" + moved.string() + " dataset=" + std::string(result.dataset->name) +
                    " rows=" + std::to_string(result.rows) +
                    " changed=" + std::to_string(result.changes.upserts + result.changes.deletes));
      if (result.changes.upserts + result.changes.deletes > 0) schedule_.OnLocalChange(now);
    } catch (const Error& e) {
      // Not the file's fault (the store is full or failing): it stays where
      // it is and is tried again; nothing of it was stored.
      std::string why = std::string(ErrorCodeName(e.code())) + ": " + e.what();
      store_.SetState("last_error", why);
      if (e.code() == ErrorCode::kUnavailable) store_.SetState("imports_paused", why);
      log::Error("file_import_paused", "file=" + file.string() + " error=" + why);
      drop_.Retry(file, now, options_.import_retry);
    }
  }
}

void AgentDaemon::SyncIfDue(std::int64_t now) {
  if (identity_refused_ || now < schedule_.NextSyncMs()) return;
  try {
    SyncResult result = services_.sync();
    schedule_.OnSuccess(clock_.NowMillis());
    // A file waiting for the server (its new people's keys) need wait no more.
    drop_.RetryWaitingNow(clock_.NowMillis());
    log::Info("synced", "changes=" + std::to_string(result.pushed.changes_sent) +
                            " acknowledged_seq=" + std::to_string(result.pushed.acknowledged_seq) +
                            " notices=" + std::to_string(result.notices));
    notifier_.Status("synced; server has up to seq " +
                     std::to_string(result.pushed.acknowledged_seq));
  } catch (const Error& e) {
    std::string why = std::string(ErrorCodeName(e.code())) + ": " + e.what();
    if (e.code() == ErrorCode::kUnauthorized) {
      identity_refused_ = true;
      refused_certificate_ = store_.GetState("certificate_serial").value_or("");
      log::Error("identity_refused", why +
                                         "; syncing stops until this agent is enrolled again "
                                         "('tributary-agent enrol' with a new token)");
      notifier_.Status("identity refused by the server: enrol again");
      return;
    }
    schedule_.OnFailure(clock_.NowMillis(), e.retry_after());
    std::int64_t wait = schedule_.NextSyncMs() - clock_.NowMillis();
    log::Warning("sync_failed", why + " retry_in_ms=" + std::to_string(wait) + " failures=" +
                                    std::to_string(schedule_.consecutive_failures()));
    notifier_.Status("sync failed (" + std::string(ErrorCodeName(e.code())) + "); retrying");
  }
}

void AgentDaemon::KeepAliveIfDue(std::int64_t now) {
  auto every = notifier_.KeepAliveEvery();
  if (!every || now < next_keep_alive_ms_) return;
  notifier_.KeepAlive();
  next_keep_alive_ms_ = now + every->count();
}

void AgentDaemon::Reload() {
  notifier_.Reloading();
  try {
    options_ = services_.reload();
    std::int64_t now = clock_.NowMillis();
    schedule_ = SyncSchedule(options_.sync, now, options_.seed ^ static_cast<std::uint64_t>(now));
    identity_refused_ = false;  // perhaps enrolled again meanwhile: try once more
    log::Info("agent_reloaded");
  } catch (const Error& e) {
    // Keep running on the configuration that worked.
    log::Error("reload_failed", std::string(ErrorCodeName(e.code())) + ": " + e.what());
  }
  notifier_.Ready();
}

}  // namespace tributary::agent
