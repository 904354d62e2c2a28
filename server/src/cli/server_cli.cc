#include "cli/server_cli.h"

#include <cstdio>
#include <set>
#include <string>

#include "cli/server_commands.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/cli_help.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

constexpr const char* kUsage =
    R"(tributary-server — the ICS's central Tributary service: receives every
practice's changes exactly once over mutual TLS and holds them for reconciliation.

Usage: tributary-server COMMAND [OPTIONS]    (tributary-server COMMAND --help: that command only)

Commands:
  init --hostname NAME [--hostname NAME ...] [--store postgresql://...]
        Create the data directory: the store, an internal CA (ECDSA P-256) and a
        server certificate for each NAME (DNS name or IP address). Prints the CA's
        SHA-256 fingerprint, which practices need to enrol. The store is the
        embedded SQLite file DATA_DIR/server.db, or with --store a PostgreSQL
        database (a libpq URL, kept in DATA_DIR/store.url), which several
        `serve` instances, each with a copy of the data directory, can share.
  token create --practice CODE [--ttl 7d] [--json]
        A one-time enrolment token bound to a practice (stored hashed; expires
        after the TTL: 7d, 12h, 30m...). Prints it with the CA fingerprint.
  serve [--listen ADDRESS:PORT] [--findings-every SECONDS]
        Serve HTTPS (default: listen in the config file, else 0.0.0.0:8443;
        port 0 picks a free port). Prints
        "listening on ADDRESS:PORT" once ready. SIGTERM or SIGINT stop it
        gracefully. Cross-practice findings of months whose data changed are
        sent to practices every --findings-every seconds (default 60).
  agents [--json]
        Every practice's agent: last seen and offline for how long, behind by
        how many changes, clock skew, certificate expiry (flagged within 14
        days), queue, store size and last error, from its heartbeats.
  agents revoke --practice CODE
        Revoke the practice's agent identity: it is refused (401) until the
        practice enrols again with a new token.
  certificate [--json]
        The server's certificate (names, end, CRL URL) and the CA's, with a
        warning from 60 days before either ends.
  certificate renew [--hostname NAME ...]
        A new key and certificate (397 days) for the server, from its CA, for
        the current certificate's names (or the NAMEs given). Restart the
        server to present it; agents trust the CA and need nothing. Audited.
  ca [--json]
        The CA (what practices enrol with); during a rollover the next CA and
        which enrolled agents trust it yet.
  ca rollover start
        Make the next CA. Once the server is restarted, each agent learns of
        it at its next heartbeat. Audited.
  ca rollover finish [--force]
        When every enrolled agent trusts the next CA (--force: even if not;
        those left must enrol again): the next CA becomes the CA, the old one
        is kept to take its agents' certificates until they end, and the
        server certificate is issued again. Restart the server. Audited.
  practices [--json]
        What the server holds per practice: records per dataset and month,
        summed appointment counts, last sync.
  orgs import FILE
        Replace the organisation hierarchy (practice -> PCN -> place -> ICS,
        effective-dated) with FILE, in the orgs.csv shape. Any bad row is
        reported as FILE:LINE: COLUMN: reason and nothing is applied.
  orgs list [--period YYYY-MM] [--json]
        The hierarchy as it stood on the month's first day (default today).
  rollups show [--period YYYY-MM] [--level practice|pcn|place|ics] [--code CODE]
               [--dataset workforce|appointments|coverage] [--totals]
               [--format table|csv|json]
        The month's figures, computed from the records: headcount (each person
        once per organisation), FTE, ARRS staff, GP FTE per 10,000 patients,
        appointments by mode, HCP type, status and booking interval, rates per
        1,000 patients, DNA rate, face-to-face and same-day shares. --totals
        leaves out the breakdowns. CSV and JSON are the API's tidy form.
  rollups show ... --basis latest|approved|published [--version N] [--ics CODE]
        latest (the default): the records held now; approved: only approved
        (or locked) returns, as approved; published: a published version of
        the month exactly as published (default its newest).
  rollups verify
        Recompute every practice's monthly rollup totals from the records and
        compare them with those kept at ingest, and every published version
        from the records its lineage names (checked against their SHA-256);
        exits non-zero on any difference.

  returns list --period YYYY-MM [--code CODE] [--json]
        Every return of the month (of one PCN, place or practice with --code):
        state, revision, when the practice's agent was last seen, the PCN
        manager's query and refused changes.
  returns lock --period YYYY-MM [--code CODE]
        Freeze the month's approved returns for good: they take no more
        changes, from the practice or centrally. Others stay as they are.

  periods list [--ics CODE] [--json]
        The ICS's months: open or closed, coverage, published versions.
  periods close --period YYYY-MM [--ics CODE]
        Close the month: a practice's change to it is kept but not applied
        (period_closed, shown to the practice and the PCN manager); central
        corrections still apply. Audited.
  periods reopen --period YYYY-MM [--ics CODE]
        Open a closed month again. Audited.
  periods publish --period YYYY-MM [--ics CODE] [--json]
        Write the closed month's next immutable version: every figure at
        every level, coverage, the hierarchy used and each return's lineage
        (state, revision, SHA-256 of its records). Audited.
  periods lineage --period YYYY-MM [--version N] [--ics CODE] [--json]
        What each return was when a version (default the newest) used it.
        --ics is needed only when the hierarchy holds several ICSs.

  user add --name NAME --role ROLE --scope CODE [--ttl 90d] [--json]
        Give a person API access within one organisation. ROLE: pcn-manager
        (scope a PCN), place-analyst (a place), ics-analyst, ics-manager (who
        closes and publishes months) or admin (the ICS). Prints their token
        once; it is stored hashed and expires after --ttl (default 90d, at
        most 365d). Audited.
  user revoke --name NAME | --id USER_ID
        End a person's access at once: their token gets 401. Audited.
  user list [--json]
        Everyone given access: role, scope, status (active, expired,
        revoked) and expiry.

  audit verify [--checkpoints FILE]
        Check the audit log's keyed chain and its signed checkpoints (the
        store's, and those of FILE, an earlier export kept elsewhere): every
        act of a person, an operator or enrolment (users, returns,
        corrections, hierarchy, tokens, enrolments, renewals, revocations)
        is there, unedited, and the log is not cut back.
  audit export [--to FILE]
        Every entry and checkpoint, one JSON object a line, for safekeeping.
  audit checkpoint
        Sign a checkpoint of the log now (serve signs one every hour).

  dictionary [--format markdown|json]
        The data dictionary: every dataset field, rollup measure, export
        column and code list with type, unit and definition, from the
        declarations the server runs on (docs/data-dictionary.md; the JSON is
        GET /v1/dictionary).

  backup --to FILE [--passphrase-file FILE] [--json]
        Write a backup while the server runs: the CA and server certificates
        and keys, and the SQLite store (a consistent copy, SQLite's online
        backup API) or a PostgreSQL store's URL (its database: pg_dump beside
        it). Sealed with a passphrase (at least 12 characters) from
        --passphrase-file's first line or TRIBUTARY_BACKUP_PASSPHRASE.
  restore --from FILE --data-dir DIR [--store postgresql://...] [--passphrase-file FILE]
        Make the new data directory DIR (absent or empty) from a backup, after
        checking it whole: the passphrase, every byte, the store's integrity
        and its CA. Agents sync on to the restored server without enrolling
        again. For PostgreSQL, pg_restore the database first; --store names
        it when it is not the one backed up.

  postgres grant-reporting --role NAME [--ics CODE ...] [--schema NAME]
                           [--password-file FILE] [--json]
        On a PostgreSQL store: the read-only views analysts' tools read
        (SCHEMA.rollups, .published_rollups, .returns, .orgs; SCHEMA default
        reporting) and a role NAME (created LOGIN and read-only if absent)
        that sees in them only the ICSs named (default: the hierarchy's one).
        The server keeps the views' figures equal to the latest rollups.
  postgres revoke-reporting --role NAME [--schema NAME]
        Take the views away from the role; the role itself is kept.

Options for every command:
  --data-dir DIR   the server's data directory (default: data_dir in the config
                   file, else /var/lib/tributary/server)
  --config FILE    configuration file (default /etc/tributary/server.toml)
  --help           help;  --version  the version

Exit status: 0 done; 2 usage; 3 invalid input; 4 unavailable; 5 refused
(already exists, not found); 1 other failure.
)";

}  // namespace

int RunServerCli(int argc, char** argv) {
  try {
    // `periods lineage` and `rollups show` take --version N (a published
    // version); everywhere else --version prints the program's.
    std::string first = argc > 1 ? argv[1] : "";
    bool version_is_a_number = first == "periods" || first == "rollups";
    std::set<std::string> switches = {"json", "help", "totals", "force"};
    if (!version_is_a_number) switches.insert("version");
    Arguments args(argc, argv, switches);
    std::string command = args.Positional(0);
    if (args.Has("help") || command == "help" || command.empty()) {
      if (!args.Has("help") && args.Has("version") && command.empty()) {
        std::printf("tributary-server %s\n", TRIBUTARY_VERSION);
        return kExitOk;
      }
      return ShowHelp(kUsage, command == "help" ? args.Positional(1) : command,
                      command.empty() && !args.Has("help"));
    }
    if (!version_is_a_number && args.Has("version")) {
      std::printf("tributary-server %s\n", TRIBUTARY_VERSION);
      return kExitOk;
    }
    if (command == "init") return RunInit(args);
    if (command == "token") return RunToken(args);
    if (command == "serve") return RunServe(args);
    if (command == "practices") return RunPractices(args);
    if (command == "agents") return RunAgents(args);
    if (command == "certificate") return RunCertificate(args);
    if (command == "ca") return RunCa(args);
    if (command == "orgs") return RunOrgs(args);
    if (command == "rollups") return RunRollups(args);
    if (command == "user") return RunUser(args);
    if (command == "returns") return RunReturns(args);
    if (command == "periods") return RunPeriods(args);
    if (command == "audit") return RunAudit(args);
    if (command == "dictionary") return RunDictionary(args);
    if (command == "backup") return RunBackup(args);
    if (command == "restore") return RunRestore(args);
    if (command == "postgres") return RunPostgres(args);
    throw Error::InvalidArgument("unknown command '" + command +
                                 "'; see 'tributary-server --help'");
  } catch (const Error& e) {
    return ReportError(e);
  } catch (const std::exception& e) {
    return ReportError(Error::Internal(e.what()));
  }
}

}  // namespace tributary::server
