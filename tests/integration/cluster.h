// A small Tributary deployment for integration tests: one server process on
// 127.0.0.1 (port chosen by the kernel) and agents in their own data
// directories, driven through their real command lines. Everything lives in a
// TempDir and every process is killed when the test ends, pass or fail.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.h"
#include "temp_dir.h"

namespace tributary::server::db {
class Connection;
}

namespace tributary::testing {

// An agent configuration for daemon tests: files taken at once, syncs soon
// after a change, short waits after a failure.
inline constexpr const char* kQuickDaemon =
    "file_settle_seconds = 0\n"
    "sync_debounce_seconds = 0\n"
    "backoff_max_seconds = 2\n"
    "request_timeout_seconds = 5\n";

// The sample ICS shipped in examples/ics-sample.
std::filesystem::path SamplePractice(const std::string& practice);

class ServerUnderTest;
// A connection to the server's store, whichever engine it is, for a test
// that reads or tampers with it behind the server's back.
std::unique_ptr<server::db::Connection> OpenServerStore(const ServerUnderTest& server);

class ServerUnderTest {
 public:
  // `init`s the data directory: its store an SQLite file, or a PostgreSQL
  // database of its own in the PostgreSQL run (test_postgres.h).
  explicit ServerUnderTest(const std::filesystem::path& data_dir);
  // Another instance of `first`'s server: a copy of its data directory (keys
  // and store), as an operator makes one for a second machine.
  ServerUnderTest(const ServerUnderTest& first, const std::filesystem::path& data_dir);
  // A data directory made otherwise (restored from a backup), its CA's
  // fingerprint `ca_sha256`.
  ServerUnderTest(const std::filesystem::path& data_dir, std::string ca_sha256)
      : data_dir_(data_dir), ca_sha256_(std::move(ca_sha256)) {}
  // Starts `serve` and waits for its "listening on" line.
  void Start();
  // SIGKILL: no chance to finish anything.
  void Kill();
  // SIGTERM and wait for a clean exit; returns the exit status.
  int Stop();
  bool running() const { return process_ != nullptr; }

  std::uint16_t port() const { return port_; }
  std::string Url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::string UrlVia(std::uint16_t port) const {
    return "https://127.0.0.1:" + std::to_string(port);
  }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::string ca_sha256() const { return ca_sha256_; }

  // token create --json; returns the token.
  std::string CreateToken(const std::string& practice, const std::string& ttl = "1h");

  RunResult Command(std::vector<std::string> args);
  // Sends `signal` to the running server.
  void Signal(int signal) { process_->Signal(signal); }
  // Settings for `serve` (server.toml lines), used from the next Start().
  void Configure(const std::string& toml);

 private:
  std::filesystem::path data_dir_;
  std::filesystem::path config_path_;
  std::unique_ptr<ChildProcess> process_;
  std::uint16_t port_ = 0;
  std::string ca_sha256_;
};

// Which agent executable a test runs: this build's, or another through a
// launcher (the Windows build under wine, which sees this machine's files on
// its drive Z:).
struct AgentProgram {
  std::vector<std::string> command;  // the program and its first arguments
  std::string path_prefix;           // put before every path the agent is given
  static AgentProgram ThisBuild();
  static AgentProgram WindowsUnderWine(const std::filesystem::path& wine,
                                       const std::filesystem::path& exe);
  std::string Path(const std::filesystem::path& path) const { return path_prefix + path.string(); }
};

class AgentUnderTest {
 public:
  // `config_toml` is written to a config file the agent is always run with.
  AgentUnderTest(std::filesystem::path data_dir, std::string practice,
                 const std::string& config_toml = "",
                 AgentProgram program = AgentProgram::ThisBuild());
  RunResult Run(std::vector<std::string> args);
  // Runs and fails the test unless it exits 0.
  std::string RunOk(std::vector<std::string> args);
  void Enrol(ServerUnderTest& server);
  // Imports the practice's sample files for these months.
  void ImportSample(const std::vector<std::string>& months);
  // Starts `tributary-agent run`; its log (stderr) is read as its output.
  std::unique_ptr<ChildProcess> StartDaemon();

  const std::string& practice() const { return practice_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }

 private:
  std::filesystem::path data_dir_;
  std::filesystem::path config_path_;
  std::string practice_;
  AgentProgram program_;
};

// Rows (dataset|key|fields) as the agent holds them and as the server holds
// them for that practice, read straight from the two SQLite files.
std::vector<std::string> AgentRecords(const AgentUnderTest& agent);
std::vector<std::string> ServerRecords(const ServerUnderTest& server, const std::string& practice);

// The agent's last seq and acknowledged seq.
std::uint64_t AgentLastSeq(const AgentUnderTest& agent);
std::uint64_t AgentAcknowledgedSeq(const AgentUnderTest& agent);

struct ServerLog {
  std::int64_t changes = 0;        // change-log rows from this practice
  std::int64_t distinct_seqs = 0;  // distinct seqs among them
  std::int64_t max_seq = 0;
  std::int64_t high_water_mark = 0;  // agents.acknowledged_seq
};
ServerLog ReadServerLog(const ServerUnderTest& server, const std::string& practice);

// The server holds exactly the agent's records, every change once: as many
// changes as seqs, none twice, up to the agent's last, acknowledged.
void RequireExactlyOnce(const ServerUnderTest& server, const AgentUnderTest& agent);

}  // namespace tributary::testing
