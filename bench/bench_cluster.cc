#include "bench_cluster.h"

#include <signal.h>

#include <cstdio>
#include <cstdlib>

#include "tributary/common/files.h"

namespace tributary::bench {
namespace {

std::string JsonField(const std::string& json, const std::string& name) {
  auto at = json.find("\"" + name + "\":\"");
  if (at == std::string::npos) {
    std::fprintf(stderr, "bench: no \"%s\" in %s\n", name.c_str(), json.c_str());
    std::exit(1);
  }
  auto start = at + name.size() + 4;
  return json.substr(start, json.find('"', start) - start);
}

// The server program: TRIBUTARY_BENCH_SERVER_BIN, to measure another build
// of it in the same run, else this build's.
std::string ServerBin() {
  const char* other = std::getenv("TRIBUTARY_BENCH_SERVER_BIN");
  return other != nullptr && *other != '\0' ? other : TRIBUTARY_SERVER_BIN;
}

// The agent program: TRIBUTARY_BENCH_AGENT_BIN, to measure another build of
// it in the same run, else this build's.
std::string AgentBin() {
  const char* other = std::getenv("TRIBUTARY_BENCH_AGENT_BIN");
  return other != nullptr && *other != '\0' ? other : TRIBUTARY_AGENT_BIN;
}

}  // namespace

testing::RunResult MustRun(const std::vector<std::string>& argv) {
  testing::RunResult r = testing::Run(argv, std::chrono::seconds(3600));
  if (r.exit_code != 0) {
    std::fprintf(stderr, "bench: %s %s failed (%d): %s\n", argv[0].c_str(),
                 argv.size() > 1 ? argv[1].c_str() : "", r.exit_code, r.err.c_str());
    std::exit(1);
  }
  return r;
}

BenchServer::BenchServer(const std::filesystem::path& data_dir,
                         const std::vector<std::string>& serve_flags,
                         const std::vector<std::string>& init_flags)
    : data_dir_(data_dir) {
  std::vector<std::string> init{ServerBin(),        "init",       "--data-dir",
                                data_dir_.string(), "--hostname", "127.0.0.1"};
  init.insert(init.end(), init_flags.begin(), init_flags.end());
  MustRun(init);
  Serve(serve_flags);
}

BenchServer::BenchServer(const BenchServer& first, const std::filesystem::path& data_dir)
    : data_dir_(data_dir) {
  std::filesystem::copy(first.data_dir_, data_dir_, std::filesystem::copy_options::recursive);
  Serve({});
}

void BenchServer::Serve(const std::vector<std::string>& serve_flags) {
  std::vector<std::string> argv{ServerBin(),        "serve",    "--data-dir",
                                data_dir_.string(), "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), serve_flags.begin(), serve_flags.end());
  process_ = std::make_unique<testing::ChildProcess>(argv, data_dir_.string() + ".serve.log");
  std::string line = process_->WaitForLine("listening on ");
  std::string address = line.substr(std::string("listening on ").size());
  url_ = "https://" + address;
  port_ = std::stoi(address.substr(address.rfind(':') + 1));
}

BenchServer::~BenchServer() {
  process_->Signal(SIGTERM);
  process_->Wait(std::chrono::seconds(60));
}

void BenchServer::EnrolAgent(const std::string& practice, const std::string& agent_dir,
                             const std::string& config_toml) {
  files::WriteAtomic(agent_dir + ".toml", config_toml);
  auto token = MustRun({ServerBin(), "token", "create", "--data-dir", data_dir_.string(),
                        "--practice", practice, "--json"});
  MustRun(
      AgentCommand(agent_dir, {"enrol", "--server", url_, "--token", JsonField(token.out, "token"),
                               "--ca-sha256", JsonField(token.out, "ca_sha256")}));
}

std::vector<std::string> AgentCommand(const std::string& agent_dir, std::vector<std::string> args) {
  args.insert(args.begin(), AgentBin());
  args.insert(args.end(), {"--data-dir", agent_dir, "--config", agent_dir + ".toml"});
  return args;
}

void PrintRow(const std::string& benchmark, const std::string& measured,
              const std::string& compared_with, const std::string& ratio, const std::string& target,
              bool met) {
  std::printf("| %s | %s | %s | %s | %s | %s |\n", benchmark.c_str(), measured.c_str(),
              compared_with.c_str(), ratio.c_str(), target.c_str(), met ? "yes" : "no");
  std::fflush(stdout);
}

}  // namespace tributary::bench
