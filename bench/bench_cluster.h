// What the benchmarks share: a real server on loopback, agents enrolled with
// it, and running the programs. A benchmark that fails exits with a message:
// a figure from a run that went wrong measures nothing.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.h"

namespace tributary::bench {

// Runs argv to completion; exits the benchmark unless it succeeds.
testing::RunResult MustRun(const std::vector<std::string>& argv);

// `tributary-server init` and `serve` on 127.0.0.1, port chosen by the kernel;
// the program named by TRIBUTARY_BENCH_SERVER_BIN when set (another build,
// compared in the same run).
class BenchServer {
 public:
  // `init_flags` are given to init (e.g. --store postgresql://...).
  explicit BenchServer(const std::filesystem::path& data_dir,
                       const std::vector<std::string>& serve_flags = {},
                       const std::vector<std::string>& init_flags = {});
  // Another instance of `first`'s server: a copy of its data directory.
  BenchServer(const BenchServer& first, const std::filesystem::path& data_dir);
  ~BenchServer();  // SIGTERM, then wait
  BenchServer(const BenchServer&) = delete;
  BenchServer& operator=(const BenchServer&) = delete;

  const std::string& url() const { return url_; }
  int port() const { return port_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }

  // Enrols an agent for `practice` in `agent_dir` (its config beside it,
  // agent_dir + ".toml", holding `config_toml`).
  void EnrolAgent(const std::string& practice, const std::string& agent_dir,
                  const std::string& config_toml = "");

 private:
  void Serve(const std::vector<std::string>& serve_flags);

  std::filesystem::path data_dir_;
  std::unique_ptr<testing::ChildProcess> process_;
  std::string url_;
  int port_ = 0;
};

// argv for `tributary-agent ARGS --data-dir DIR --config DIR.toml`: the agent
// named by TRIBUTARY_BENCH_AGENT_BIN when set (another build, compared in the
// same run), else this build's.
std::vector<std::string> AgentCommand(const std::string& agent_dir, std::vector<std::string> args);

// "| benchmark | Tributary | compared with (same run) | ratio | target | met |"
void PrintRow(const std::string& benchmark, const std::string& measured,
              const std::string& compared_with, const std::string& ratio, const std::string& target,
              bool met);

}  // namespace tributary::bench
