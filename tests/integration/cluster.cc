#include "cluster.h"

#include <signal.h>

#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "agent_store_files.h"
#include "database/store_location.h"
#include "test_postgres.h"
#include "tributary/common/files.h"
#include "tributary/common/sqlite.h"

namespace tributary::testing {
namespace {

std::string Describe(const std::vector<std::string>& argv, const RunResult& r) {
  std::string cmd;
  for (const auto& a : argv) cmd += a + " ";
  return cmd + "\nexit " + std::to_string(r.exit_code) + "\nstdout: " + r.out +
         "\nstderr: " + r.err;
}

std::vector<std::string> Rows(const std::filesystem::path& data_dir, const std::string& sql,
                              const std::string& bind) {
  auto db = OpenAgentStore(data_dir);
  auto stmt = db.Prepare(sql);
  if (!bind.empty()) stmt.Bind(1, std::string_view(bind));
  std::vector<std::string> rows;
  while (stmt.Step()) {
    rows.push_back(stmt.ColumnText(0) + "|" + stmt.ColumnText(1) + "|" + stmt.ColumnText(2));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::int64_t Scalar(const std::filesystem::path& data_dir, const std::string& sql,
                    const std::string& bind = "") {
  auto db = OpenAgentStore(data_dir);
  auto stmt = db.Prepare(sql);
  if (!bind.empty()) stmt.Bind(1, std::string_view(bind));
  return stmt.Step() ? stmt.ColumnInt(0) : 0;
}

}  // namespace

std::filesystem::path SamplePractice(const std::string& practice) {
  return std::filesystem::path(TRIBUTARY_SOURCE_DIR) / "examples" / "ics-sample" / "practices" /
         practice;
}

std::unique_ptr<server::db::Connection> OpenServerStore(const ServerUnderTest& server) {
  std::filesystem::path url = server.data_dir() / "store.url";
  if (std::filesystem::exists(url)) {
    std::string text = files::Read(url);
    return server::db::Open(server::db::StoreLocation::Parse(text), 2048);
  }
  return server::db::Open(server.data_dir() / "server.db", 2048);
}

ServerUnderTest::ServerUnderTest(const std::filesystem::path& data_dir) : data_dir_(data_dir) {
  std::vector<std::string> argv{TRIBUTARY_SERVER_BIN, "init",      "--data-dir", data_dir_.string(),
                                "--hostname",         "127.0.0.1", "--hostname", "localhost"};
  if (TestsUsePostgres()) {
    argv.push_back("--store");
    argv.push_back(TestPostgresUrl(data_dir_));
  }
  RunResult init = Run(argv);
  INFO(init.err);
  REQUIRE(init.exit_code == 0);
  auto at = init.out.find("sha256): ");
  REQUIRE(at != std::string::npos);
  ca_sha256_ = init.out.substr(at + 9, 64);
}

ServerUnderTest::ServerUnderTest(const ServerUnderTest& first,
                                 const std::filesystem::path& data_dir)
    : data_dir_(data_dir), ca_sha256_(first.ca_sha256_) {
  std::filesystem::create_directories(data_dir_);
  for (const auto& entry : std::filesystem::directory_iterator(first.data_dir_)) {
    if (entry.path().filename() == "serve.log") continue;
    std::filesystem::copy(entry.path(), data_dir_ / entry.path().filename(),
                          std::filesystem::copy_options::recursive);
  }
}

void ServerUnderTest::Start() {
  // Port 0 on the first start; the same port on a restart so agents keep their URL.
  std::string listen = "127.0.0.1:" + std::to_string(port_);
  std::vector<std::string> argv{TRIBUTARY_SERVER_BIN, "serve",    "--data-dir",
                                data_dir_.string(),   "--listen", listen};
  if (!config_path_.empty()) {
    argv.push_back("--config");
    argv.push_back(config_path_.string());
  }
  process_ = std::make_unique<ChildProcess>(argv, data_dir_ / "serve.log");
  std::string line = process_->WaitForLine("listening on ");
  port_ = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
}

void ServerUnderTest::Kill() {
  if (!process_) return;
  process_->Signal(SIGKILL);
  process_->Wait();
  process_.reset();
}

int ServerUnderTest::Stop() {
  if (!process_) return 0;
  process_->Signal(SIGTERM);
  int status = process_->Wait();
  process_.reset();
  // SIGTERM is a graceful stop: the server exits 0, not killed by the signal.
  CHECK(status == 0);
  return status;
}

void ServerUnderTest::Configure(const std::string& toml) {
  config_path_ = data_dir_.string() + ".toml";
  files::WriteAtomic(config_path_, toml);
}

std::string ServerUnderTest::CreateToken(const std::string& practice, const std::string& ttl) {
  RunResult r = Command({"token", "create", "--practice", practice, "--ttl", ttl, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto json = boost::json::parse(r.out).as_object();
  REQUIRE(std::string(json.at("practice").as_string()) == practice);
  REQUIRE(std::string(json.at("ca_sha256").as_string()) == ca_sha256_);
  return std::string(json.at("token").as_string());
}

RunResult ServerUnderTest::Command(std::vector<std::string> args) {
  args.insert(args.begin(), TRIBUTARY_SERVER_BIN);
  args.push_back("--data-dir");
  args.push_back(data_dir_.string());
  return testing::Run(args);
}

AgentProgram AgentProgram::ThisBuild() { return AgentProgram{{TRIBUTARY_AGENT_BIN}, ""}; }

AgentProgram AgentProgram::WindowsUnderWine(const std::filesystem::path& wine,
                                            const std::filesystem::path& exe) {
  return AgentProgram{{wine.string(), exe.string()}, "Z:"};
}

AgentUnderTest::AgentUnderTest(std::filesystem::path data_dir, std::string practice,
                               const std::string& config_toml, AgentProgram program)
    : data_dir_(std::move(data_dir)), practice_(std::move(practice)), program_(std::move(program)) {
  std::filesystem::create_directories(data_dir_);
  // Every agent gets its own config file, so no config from the machine leaks in.
  config_path_ = data_dir_.string() + ".toml";
  files::WriteAtomic(config_path_, config_toml);
}

RunResult AgentUnderTest::Run(std::vector<std::string> args) {
  args.insert(args.begin(), program_.command.begin(), program_.command.end());
  args.push_back("--data-dir");
  args.push_back(program_.Path(data_dir_));
  args.push_back("--config");
  args.push_back(program_.Path(config_path_));
  return testing::Run(args);
}

std::string AgentUnderTest::RunOk(std::vector<std::string> args) {
  RunResult r = Run(args);
  INFO(Describe(args, r));
  REQUIRE(r.exit_code == 0);
  return r.out;
}

void AgentUnderTest::Enrol(ServerUnderTest& server) {
  RunOk({"enrol", "--server", server.Url(), "--token", server.CreateToken(practice_), "--ca-sha256",
         server.ca_sha256()});
}

std::unique_ptr<ChildProcess> AgentUnderTest::StartDaemon() {
  std::vector<std::string> argv = program_.command;
  argv.insert(argv.end(), {"run", "--data-dir", program_.Path(data_dir_), "--config",
                           program_.Path(config_path_)});
  return std::make_unique<ChildProcess>(argv, ChildProcess::kStderrToStdout);
}

void AgentUnderTest::ImportSample(const std::vector<std::string>& months) {
  for (const auto& month : months) {
    for (const char* dataset : {"workforce", "appointments", "list_size"}) {
      RunOk({"import", program_.Path(SamplePractice(practice_) /
                                     (std::string(dataset) + "-" + month + ".csv"))});
    }
  }
}

std::vector<std::string> AgentRecords(const AgentUnderTest& agent) {
  return Rows(agent.data_dir(), "SELECT dataset, record_key, fields FROM records", "");
}

std::vector<std::string> ServerRecords(const ServerUnderTest& server, const std::string& practice) {
  auto db = OpenServerStore(server);
  auto stmt = db->Prepare("SELECT dataset, record_key, fields FROM records WHERE practice = ?");
  stmt.Bind(1, std::string_view(practice));
  std::vector<std::string> rows;
  while (stmt.Step()) {
    rows.push_back(stmt.ColumnText(0) + "|" + stmt.ColumnText(1) + "|" + stmt.ColumnText(2));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::uint64_t AgentLastSeq(const AgentUnderTest& agent) {
  return static_cast<std::uint64_t>(Scalar(
      agent.data_dir(),
      "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM state WHERE key = 'last_seq'), 0)"));
}

std::uint64_t AgentAcknowledgedSeq(const AgentUnderTest& agent) {
  return static_cast<std::uint64_t>(
      Scalar(agent.data_dir(),
             "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM state "
             "WHERE key = 'acknowledged_seq'), 0)"));
}

void RequireExactlyOnce(const ServerUnderTest& server, const AgentUnderTest& agent) {
  CHECK(AgentRecords(agent) == ServerRecords(server, agent.practice()));
  ServerLog log = ReadServerLog(server, agent.practice());
  std::int64_t last_seq = static_cast<std::int64_t>(AgentLastSeq(agent));
  CHECK(log.changes == last_seq);
  CHECK(log.distinct_seqs == last_seq);
  CHECK(log.max_seq == last_seq);
  CHECK(log.high_water_mark == last_seq);
  CHECK(AgentAcknowledgedSeq(agent) == AgentLastSeq(agent));
}

ServerLog ReadServerLog(const ServerUnderTest& server, const std::string& practice) {
  // One statement, so one snapshot: the server may still be committing a
  // request whose client has gone (a cut response, a killed agent), and
  // figures read at different moments would disagree with each other.
  auto db = OpenServerStore(server);
  auto stmt = db->Prepare(
      "SELECT (SELECT count(*) FROM change_log WHERE practice = ?1), "
      "(SELECT count(DISTINCT seq) FROM change_log WHERE practice = ?1), "
      "(SELECT coalesce(max(seq), 0) FROM change_log WHERE practice = ?1), "
      "(SELECT coalesce(max(acknowledged_seq), 0) FROM agents WHERE practice = ?1)");
  stmt.Bind(1, std::string_view(practice));
  stmt.Step();
  ServerLog log;
  log.changes = stmt.ColumnInt(0);
  log.distinct_seqs = stmt.ColumnInt(1);
  log.max_seq = stmt.ColumnInt(2);
  log.high_water_mark = stmt.ColumnInt(3);
  return log;
}

}  // namespace tributary::testing
