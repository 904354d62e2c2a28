// Backup and restore (docs/operations.md "Backup and restore"): a backup
// taken while agents push is one consistent moment of the store, restores
// into a new directory that verifies, and the agents sync on to the restored
// server without enrolling again, sending what it lost from the changes
// they keep; the notices they had read from the lost time do not hide the
// restored server's new ones.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "cluster.h"
#include "database/connection.h"
#include "test_postgres.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

const std::string kPassphrase = "a long backup passphrase";

std::filesystem::path SampleOrgs() {
  return SamplePractice("T01100").parent_path().parent_path() / "orgs.csv";
}

RunResult ServerCli(std::vector<std::string> args, const std::filesystem::path& passphrase_file) {
  args.insert(args.begin(), TRIBUTARY_SERVER_BIN);
  args.push_back("--passphrase-file");
  args.push_back(passphrase_file.string());
  return Run(args);
}

// Everything a restore must bring back, read from the store itself.
std::vector<std::string> StoreRows(const ServerUnderTest& server, const std::string& sql) {
  auto db = OpenServerStore(server);
  auto stmt = db->Prepare(sql);
  std::vector<std::string> rows;
  while (stmt.Step()) {
    std::string row;
    for (int c = 0; c < 4; ++c) row += stmt.ColumnText(c) + "|";
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::string> AuditRows(const ServerUnderTest& server) {
  return StoreRows(server, "SELECT id, actor, action, hash FROM audit_log ORDER BY id");
}

std::vector<std::string> ChangeLogRows(const ServerUnderTest& server) {
  return StoreRows(server,
                   "SELECT practice, seq, dataset || '/' || record_key || '@' || version, "
                   "coalesce(fields, '') FROM change_log ORDER BY id");
}

void RequireVerifies(ServerUnderTest& server) {
  RunResult rollups = server.Command({"rollups", "verify"});
  INFO(rollups.out << rollups.err);
  CHECK(rollups.exit_code == 0);
  RunResult audit = server.Command({"audit", "verify"});
  INFO(audit.out << audit.err);
  CHECK(audit.exit_code == 0);
}

std::vector<std::string> ClosedPeriods(AgentUnderTest& agent) {
  auto status = boost::json::parse(agent.RunOk({"status", "--json"})).as_object();
  std::vector<std::string> closed;
  for (const auto& p : status.at("closed_periods").as_array()) {
    closed.emplace_back(p.as_string());
  }
  return closed;
}

}  // namespace

TEST_CASE(
    "backup: taken under a push load, restored into a new directory that verifies; the agents "
    "sync on to it without enrolling again and it ends holding exactly their changes",
    "[sqlite]") {
  TempDir dir;
  std::filesystem::path passphrase = dir.path() / "passphrase";
  files::WriteAtomic(passphrase, kPassphrase + "\n");
  ServerUnderTest server(dir.path() / "server");
  REQUIRE(server.Command({"orgs", "import", SampleOrgs().string()}).exit_code == 0);
  REQUIRE(server
              .Command({"user", "add", "--name", "Ada", "--role", "ics-analyst", "--scope", "QT1",
                        "--json"})
              .exit_code == 0);
  server.Start();
  std::vector<std::unique_ptr<AgentUnderTest>> agents;
  for (const char* practice : {"T01100", "T01113", "T01126"}) {
    agents.push_back(std::make_unique<AgentUnderTest>(dir.path() / practice, practice));
    agents.back()->Enrol(server);
    agents.back()->ImportSample({"2026-08", "2026-09"});
  }

  // The backup while every agent pushes its two months.
  std::vector<std::unique_ptr<ChildProcess>> syncs;
  for (auto& agent : agents) {
    syncs.push_back(std::make_unique<ChildProcess>(
        std::vector<std::string>{TRIBUTARY_AGENT_BIN, "sync", "--data-dir",
                                 agent->data_dir().string(), "--config",
                                 agent->data_dir().string() + ".toml"},
        dir.path() / (agent->practice() + "-sync.log")));
  }
  std::filesystem::path under_load = dir.path() / "under-load.tbk";
  RunResult backup = ServerCli(
      {"backup", "--data-dir", server.data_dir().string(), "--to", under_load.string(), "--json"},
      passphrase);
  INFO(backup.err);
  REQUIRE(backup.exit_code == 0);
  CHECK(boost::json::parse(backup.out).at("ca_sha256").as_string() == server.ca_sha256());
  for (auto& sync : syncs) CHECK(sync->Wait() == 0);
  CHECK(std::filesystem::exists(server.data_dir() / "last-backup"));

  // After the backup: more changes, and a closed month the agents hear of.
  for (auto& agent : agents) {
    agent->ImportSample({"2026-10"});
    agent->RunOk({"sync"});
  }
  REQUIRE(server.Command({"periods", "close", "--period", "2026-08"}).exit_code == 0);
  for (auto& agent : agents) {
    agent->RunOk({"sync"});
    CHECK(ClosedPeriods(*agent) == std::vector<std::string>{"2026-08"});
  }

  // A quiet backup equals the server it was taken from, row for row.
  std::filesystem::path quiet = dir.path() / "quiet.tbk";
  REQUIRE(ServerCli({"backup", "--data-dir", server.data_dir().string(), "--to", quiet.string()},
                    passphrase)
              .exit_code == 0);
  RunResult quiet_restore = ServerCli(
      {"restore", "--from", quiet.string(), "--data-dir", (dir.path() / "quiet").string()},
      passphrase);
  INFO(quiet_restore.err);
  REQUIRE(quiet_restore.exit_code == 0);
  ServerUnderTest quiet_copy(dir.path() / "quiet", server.ca_sha256());
  CHECK(ChangeLogRows(quiet_copy) == ChangeLogRows(server));
  CHECK(AuditRows(quiet_copy) == AuditRows(server));
  for (auto& agent : agents) {
    CHECK(ServerRecords(quiet_copy, agent->practice()) == ServerRecords(server, agent->practice()));
  }
  CHECK(quiet_copy.Command({"practices", "--json"}).out ==
        server.Command({"practices", "--json"}).out);
  RequireVerifies(quiet_copy);

  // The server is lost; the one restored from the backup under load
  // verifies: each practice's changes exactly once up to its high-water
  // mark, the audit chain whole and a beginning of the lost server's.
  std::vector<std::string> audit_before = AuditRows(server);
  server.Kill();
  std::filesystem::path restored_dir = dir.path() / "restored";
  RunResult restore = ServerCli(
      {"restore", "--from", under_load.string(), "--data-dir", restored_dir.string()}, passphrase);
  INFO(restore.err);
  REQUIRE(restore.exit_code == 0);
  ServerUnderTest restored(restored_dir, server.ca_sha256());
  RequireVerifies(restored);
  std::vector<std::string> audit_restored = AuditRows(restored);
  REQUIRE(audit_restored.size() <= audit_before.size());
  CHECK(std::equal(audit_restored.begin(), audit_restored.end(), audit_before.begin()));
  for (auto& agent : agents) {
    ServerLog log = ReadServerLog(restored, agent->practice());
    CHECK(log.changes == log.distinct_seqs);
    CHECK(log.max_seq <= log.high_water_mark);
    CHECK(static_cast<std::uint64_t>(log.high_water_mark) < AgentLastSeq(*agent));
  }

  // The agents sync on to it, with their own enrolment: what it lost is sent
  // again, and its new notices reach them.
  restored.Start();
  for (auto& agent : agents) {
    agent->RunOk({"sync", "--server", restored.Url()});
    RequireExactlyOnce(restored, *agent);
  }
  REQUIRE(restored.Command({"periods", "close", "--period", "2026-09"}).exit_code == 0);
  for (auto& agent : agents) {
    agent->RunOk({"sync", "--server", restored.Url()});
    std::vector<std::string> closed = ClosedPeriods(*agent);
    CHECK(std::find(closed.begin(), closed.end(), "2026-09") != closed.end());
  }
  RequireVerifies(restored);
}

TEST_CASE("backup: refusals leave nothing behind", "[sqlite]") {
  TempDir dir;
  std::filesystem::path passphrase = dir.path() / "passphrase";
  files::WriteAtomic(passphrase, kPassphrase + "\n");
  ServerUnderTest server(dir.path() / "server");
  std::filesystem::path file = dir.path() / "b.tbk";
  std::string data_dir = server.data_dir().string();

  SECTION("no passphrase, or a short one") {
    RunResult none =
        Run({TRIBUTARY_SERVER_BIN, "backup", "--data-dir", data_dir, "--to", file.string()});
    CHECK(none.exit_code == 2);
    CHECK(none.err.find("TRIBUTARY_BACKUP_PASSPHRASE") != std::string::npos);
    files::WriteAtomic(passphrase, "short\n");
    RunResult short_one =
        ServerCli({"backup", "--data-dir", data_dir, "--to", file.string()}, passphrase);
    CHECK(short_one.exit_code == 2);
    CHECK(short_one.err.find("at least 12 characters") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(file));
    CHECK_FALSE(std::filesystem::exists(file.string() + ".partial"));
  }
  SECTION("a directory that is not initialised") {
    RunResult r =
        ServerCli({"backup", "--data-dir", (dir.path() / "none").string(), "--to", file.string()},
                  passphrase);
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("is not initialised") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(file));
  }
  SECTION("restore: a wrong passphrase, a cut or changed file, a directory in use") {
    REQUIRE(ServerCli({"backup", "--data-dir", data_dir, "--to", file.string()}, passphrase)
                .exit_code == 0);
    std::filesystem::path target = dir.path() / "target";
    std::filesystem::path wrong = dir.path() / "wrong";
    files::WriteAtomic(wrong, "not the passphrase at all\n");
    RunResult r =
        ServerCli({"restore", "--from", file.string(), "--data-dir", target.string()}, wrong);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("wrong passphrase") != std::string::npos);

    std::string whole = files::Read(file);
    std::filesystem::path cut = dir.path() / "cut.tbk";
    files::WriteAtomic(cut, whole.substr(0, whole.size() - 10));
    r = ServerCli({"restore", "--from", cut.string(), "--data-dir", target.string()}, passphrase);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("cut short") != std::string::npos);

    std::string changed = whole;
    changed[changed.size() / 2] = static_cast<char>(changed[changed.size() / 2] ^ 1);
    std::filesystem::path damaged = dir.path() / "damaged.tbk";
    files::WriteAtomic(damaged, changed);
    r = ServerCli({"restore", "--from", damaged.string(), "--data-dir", target.string()},
                  passphrase);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("damaged") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(target));
    CHECK_FALSE(std::filesystem::exists(target.string() + ".restoring"));

    r = ServerCli({"restore", "--from", file.string(), "--data-dir", data_dir}, passphrase);
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("is not empty") != std::string::npos);

    r = ServerCli({"restore", "--from", file.string(), "--data-dir", target.string()}, passphrase);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(std::filesystem::exists(target / "ca.key"));
    CHECK(files::Read(target / "ca.key") == files::Read(server.data_dir() / "ca.key"));
  }
}

// On PostgreSQL the backup holds the keys and the store's URL, and the
// database goes by pg_dump beside it (docs/operations.md): both taken while
// the agents push, the database restored into a new one, the data directory
// restored naming it; the restored server verifies and the agents sync on
// to it exactly once.
TEST_CASE(
    "backup: on PostgreSQL the keys and a pg_dump, both taken under a push load, restore a "
    "server the agents sync on to exactly once",
    "[postgresql]") {
  REQUIRE(TestsUsePostgres());
  TempDir dir;
  std::filesystem::path passphrase = dir.path() / "passphrase";
  files::WriteAtomic(passphrase, kPassphrase + "\n");
  ServerUnderTest server(dir.path() / "server");
  REQUIRE(server.Command({"orgs", "import", SampleOrgs().string()}).exit_code == 0);
  server.Start();
  std::vector<std::unique_ptr<AgentUnderTest>> agents;
  for (const char* practice : {"T01100", "T01113"}) {
    agents.push_back(std::make_unique<AgentUnderTest>(dir.path() / practice, practice));
    agents.back()->Enrol(server);
    agents.back()->ImportSample({"2026-08", "2026-09"});
  }
  std::string store_url = files::Read(server.data_dir() / "store.url");
  store_url = store_url.substr(0, store_url.find('\n'));
  std::string schema = StoreRows(server, "SELECT current_schema(), '', '', ''").front();
  schema = schema.substr(0, schema.find('|'));

  std::vector<std::unique_ptr<ChildProcess>> syncs;
  for (auto& agent : agents) {
    syncs.push_back(std::make_unique<ChildProcess>(
        std::vector<std::string>{TRIBUTARY_AGENT_BIN, "sync", "--data-dir",
                                 agent->data_dir().string(), "--config",
                                 agent->data_dir().string() + ".toml"},
        dir.path() / (agent->practice() + "-sync.log")));
  }
  std::filesystem::path keys = dir.path() / "keys.tbk";
  std::filesystem::path dump = dir.path() / "store.pgdump";
  RunResult backup = ServerCli(
      {"backup", "--data-dir", server.data_dir().string(), "--to", keys.string(), "--json"},
      passphrase);
  INFO(backup.err);
  REQUIRE(backup.exit_code == 0);
  CHECK(boost::json::parse(backup.out).at("engine").as_string() == "postgresql");
  RunResult dumped = Run({"/usr/bin/pg_dump", "--format=custom", "--schema=" + schema, "--file",
                          dump.string(), "--dbname=" + store_url});
  INFO(dumped.err);
  REQUIRE(dumped.exit_code == 0);
  for (auto& sync : syncs) CHECK(sync->Wait() == 0);
  for (auto& agent : agents) {
    agent->ImportSample({"2026-10"});
    agent->RunOk({"sync"});
  }

  // The database is lost with the server: pg_restore into a new database,
  // then the data directory from the backup, naming it.
  std::vector<std::string> audit_before = AuditRows(server);
  server.Kill();
  std::string database = "restored_" + schema;
  std::size_t name_at = store_url.find("/tributary_test?");
  REQUIRE(name_at != std::string::npos);
  std::string admin_url = store_url.substr(0, store_url.find("&options="));
  REQUIRE(Run({"/usr/bin/psql", "-XAqc", "CREATE DATABASE " + database, admin_url}).exit_code == 0);
  std::string restored_url = store_url;
  restored_url.replace(name_at, std::string("/tributary_test?").size(), "/" + database + "?");
  RunResult pg_restored =
      Run({"/usr/bin/pg_restore", "--no-owner", "--dbname=" + restored_url, dump.string()});
  INFO(pg_restored.err);
  REQUIRE(pg_restored.exit_code == 0);
  std::filesystem::path restored_dir = dir.path() / "restored";
  RunResult restore = ServerCli({"restore", "--from", keys.string(), "--data-dir",
                                 restored_dir.string(), "--store", restored_url},
                                passphrase);
  INFO(restore.err);
  REQUIRE(restore.exit_code == 0);
  ServerUnderTest restored(restored_dir, server.ca_sha256());
  RequireVerifies(restored);
  std::vector<std::string> audit_restored = AuditRows(restored);
  REQUIRE(audit_restored.size() <= audit_before.size());
  CHECK(std::equal(audit_restored.begin(), audit_restored.end(), audit_before.begin()));
  for (auto& agent : agents) {
    ServerLog log = ReadServerLog(restored, agent->practice());
    CHECK(log.changes == log.distinct_seqs);
    CHECK(static_cast<std::uint64_t>(log.high_water_mark) < AgentLastSeq(*agent));
  }

  // A restore naming a database that holds no store is refused.
  RunResult empty = ServerCli({"restore", "--from", keys.string(), "--data-dir",
                               (dir.path() / "empty").string(), "--store", admin_url},
                              passphrase);
  CHECK(empty.exit_code != 0);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "empty"));

  restored.Start();
  for (auto& agent : agents) {
    agent->RunOk({"sync", "--server", restored.Url()});
    RequireExactlyOnce(restored, *agent);
  }
  RequireVerifies(restored);
}
