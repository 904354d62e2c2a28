// The Windows agent (cmake --preset windows) under wine, against this
// build's Linux server on loopback: enrolled with the same command line,
// running as the daemon, it imports a practice's files from its drop folder
// and syncs them; killed mid-sync (the server has taken a batch, the agent
// has not heard back) and started again, it loses nothing and sends nothing
// twice. docs/windows.md.
#include <signal.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <map>
#include <thread>

#include "agent_store_files.h"
#include "cluster.h"
#include "fault_proxy.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPractice = "T01100";

// A quick daemon; the two months' activity goes in one push (batch_size
// 5000, the default), whose request is far larger than the TLS handshake.
constexpr const char* kConfig =
    "file_settle_seconds = 0\n"
    "sync_debounce_seconds = 0\n"
    "backoff_max_seconds = 2\n"
    "request_timeout_seconds = 30\n";

// On Windows the drop folder is beside the data folder (platform/default_paths.h).
fs::path DropFolder(const AgentUnderTest& agent) { return agent.data_dir().parent_path() / "drop"; }

// Saved the way a careful program saves: written beside, then renamed in.
void DropSample(const AgentUnderTest& agent, const std::string& file) {
  files::WriteAtomic(DropFolder(agent) / file, files::Read(SamplePractice(kPractice) / file));
}

// Reads the daemon's log until the agent has heard that the server holds
// everything it queued.
void WaitUntilAllAcknowledged(ChildProcess& daemon, const AgentUnderTest& agent) {
  while (AgentLastSeq(agent) == 0 || AgentAcknowledgedSeq(agent) != AgentLastSeq(agent)) {
    daemon.WaitForLineContaining("\"synced\"", std::chrono::seconds(120));
  }
}

// Whether the server's store holds changes from the practice within
// `timeout`. The store is another process's: it is looked at every 50 ms.
bool ServerHasChanges(const ServerUnderTest& server, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (ReadServerLog(server, kPractice).changes == 0) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace

TEST_CASE(
    "windows agent under wine: enrols, imports its drop folder as the daemon, syncs, and "
    "through a kill mid-sync the server holds every record exactly once") {
  ::umask(077);  // wine keeps a file's ACL as its Unix mode (docs/windows.md)
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  FaultProxy proxy("127.0.0.1", server.port());
  AgentUnderTest agent(dir.path() / "agent", kPractice, kConfig,
                       AgentProgram::WindowsUnderWine(TRIBUTARY_WINE, TRIBUTARY_WINDOWS_AGENT_EXE));
  agent.RunOk({"enrol", "--server", server.UrlVia(proxy.port()), "--token",
               server.CreateToken(kPractice), "--ca-sha256", server.ca_sha256()});
  std::string status = agent.RunOk({"status"});
  CHECK(status.find(kPractice) != std::string::npos);

  // The activity files are in the drop folder before the daemon starts; it
  // imports them at once and its first request is the push. Once the requests
  // have passed the TLS handshake's size, the proxy holds every answer: the
  // push's (stored, never acknowledged) or a later one of the same session
  // (acknowledged, the session unfinished). Either way the agent is killed
  // in the middle of its sync, with the server holding the batch.
  fs::create_directories(DropFolder(agent));
  for (const char* file : {"appointments-2026-08.csv", "appointments-2026-09.csv",
                           "list_size-2026-08.csv", "list_size-2026-09.csv"}) {
    DropSample(agent, file);
  }
  FaultPlan stall;
  // The client's side of a TLS handshake with its certificate is under 3 KB.
  stall.stall_response_after_request_bytes = 4 * 1024;
  proxy.SetPlan(stall);
  {
    auto daemon = agent.StartDaemon();
    daemon->WaitForLineContaining("\"agent_started\"", std::chrono::seconds(120));
    for (int imported = 0; imported < 4; ++imported) {
      daemon->WaitForLineContaining("\"file_imported\"", std::chrono::seconds(120));
    }
    REQUIRE(proxy.WaitForStall(std::chrono::seconds(120)));
    // What the proxy holds may be the TLS session tickets the server sends
    // after the handshake, before the push is stored: wait until it is.
    REQUIRE(ServerHasChanges(server, std::chrono::seconds(60)));
    CHECK(proxy.connections_faulted() == 1);
    daemon->Signal(SIGKILL);
    daemon->Wait();
    INFO(daemon->output());
    CHECK(daemon->output().find("\"synced\"") == std::string::npos);  // cut short
  }
  proxy.Reset();
  // Every file was imported before the kill: none waits, none is lost.
  for (const char* file : {"appointments-2026-08.csv", "list_size-2026-09.csv"}) {
    CHECK(fs::exists(DropFolder(agent) / "processed" / file));
    CHECK_FALSE(fs::exists(DropFolder(agent) / file));
  }

  // Started again, it sends what the server has not acknowledged; the
  // server takes each change once. A workforce file dropped now is imported
  // at once, its new people held until the next sync makes their keys.
  auto daemon = agent.StartDaemon();
  daemon->WaitForLineContaining("\"agent_started\"", std::chrono::seconds(120));
  WaitUntilAllAcknowledged(*daemon, agent);
  DropSample(agent, "workforce-2026-08.csv");
  std::string imported =
      daemon->WaitForLineContaining("\"file_imported\"", std::chrono::seconds(120));
  CHECK(imported.find("workforce-2026-08.csv") != std::string::npos);
  daemon->WaitForLineContaining("\"person_keys_made\"", std::chrono::seconds(120));
  WaitUntilAllAcknowledged(*daemon, agent);

  RequireExactlyOnce(server, agent);
  ServerLog log = ReadServerLog(server, kPractice);
  CHECK(log.changes == static_cast<std::int64_t>(AgentLastSeq(agent)));
  CHECK(log.distinct_seqs == log.changes);  // nothing sent twice was stored twice
  CHECK_FALSE(ServerRecords(server, kPractice).empty());
}

namespace {

// Wine in a prefix of the test's own (a Windows install of its own): every
// command waits for wine to finish (wineserver -w), as msiexec returns first.
class WinePrefix {
 public:
  explicit WinePrefix(fs::path dir) : dir_(std::move(dir)), env_{{"WINEPREFIX", dir_.string()}} {
    Require({TRIBUTARY_WINEBOOT, "--init"});
  }
  ~WinePrefix() { testing::Run({TRIBUTARY_WINESERVER, "-k"}, std::chrono::seconds(60), env_); }

  RunResult Wine(std::vector<std::string> args) {
    args.insert(args.begin(), TRIBUTARY_WINE);
    RunResult r = testing::Run(args, std::chrono::seconds(300), env_);
    testing::Run({TRIBUTARY_WINESERVER, "-w"}, std::chrono::seconds(300), env_);
    return r;
  }
  void Require(std::vector<std::string> args) {
    RunResult r = args[0] == TRIBUTARY_WINEBOOT
                      ? testing::Run(args, std::chrono::seconds(300), env_)
                      : Wine(args);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    testing::Run({TRIBUTARY_WINESERVER, "-w"}, std::chrono::seconds(300), env_);
  }
  fs::path C(const std::string& path) const { return dir_ / "drive_c" / path; }
  // The registry key's lines in system.reg (written when wine stops).
  std::string ServiceKey(const std::string& name) const {
    std::string reg = files::Read(dir_ / "system.reg");
    auto at = reg.find("[System\\\\CurrentControlSet\\\\Services\\\\" + name + "]");
    if (at == std::string::npos) return "";
    return reg.substr(at, reg.find("\n\n", at) - at);
  }

 private:
  fs::path dir_;
  std::map<std::string, std::string> env_;
};

std::string Z(const fs::path& path) { return "Z:" + path.string(); }

std::string StoreState(const fs::path& data_dir, const std::string& key) {
  auto db = OpenAgentStore(data_dir);
  auto stmt = db.Prepare("SELECT value FROM state WHERE key = ?");
  stmt.Bind(1, key);
  return stmt.Step() ? stmt.ColumnText(0) : "";
}

}  // namespace

TEST_CASE(
    "windows installer under wine: msiexec /qn with SERVER, TOKEN and CA_SHA256 installs the "
    "service and enrols; an upgrade keeps the identity; uninstall keeps the data, PURGE=1 "
    "removes it") {
  ::umask(077);
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  WinePrefix wine(dir.path() / "wineprefix");
  fs::path program = wine.C("Program Files/Tributary/tributary-agent.exe");
  fs::path data = wine.C("ProgramData/Tributary/agent");

  wine.Require({"msiexec", "/i", Z(TRIBUTARY_WINDOWS_MSI), "/qn", "SERVER=" + server.Url(),
                "TOKEN=" + server.CreateToken(kPractice), "CA_SHA256=" + server.ca_sha256()});
  REQUIRE(fs::exists(program));
  CHECK(fs::exists(wine.C("ProgramData/Tributary/agent.toml")));
  CHECK(fs::is_directory(wine.C("ProgramData/Tributary/drop")));
  // The properties reached enrolment: the practice's identity, from this server.
  CHECK(StoreState(data, "practice") == kPractice);
  CHECK(StoreState(data, "server_url") == server.Url());
  std::string certificate = files::Read(data / "agent.pem");
  std::string service = wine.ServiceKey("TributaryAgent");
  CHECK(service.find("tributary-agent.exe run --service") != std::string::npos);
  CHECK(service.find("\"Start\"=dword:00000002") != std::string::npos);  // automatic
  CHECK(service.find("\"ObjectName\"=\"LocalSystem\"") != std::string::npos);

  // A new version over it: no properties, nothing enrolled again, nothing lost.
  fs::path next = dir.path() / "tributary-agent-next.msi";
  RunResult built = testing::Run({TRIBUTARY_SOURCE_DIR "/scripts/windows-msi.sh",
                                  TRIBUTARY_WINDOWS_AGENT_EXE, next.string(), "99.0.0"});
  INFO(built.err);
  REQUIRE(built.exit_code == 0);
  wine.Require({"msiexec", "/i", Z(next), "/qn"});
  CHECK(fs::exists(program));
  CHECK(files::Read(data / "agent.pem") == certificate);
  CHECK(StoreState(data, "practice") == kPractice);
  CHECK_FALSE(wine.ServiceKey("TributaryAgent").empty());

  // Uninstalled: the program and the service go, the practice's data stays.
  wine.Require({"msiexec", "/x", Z(next), "/qn"});
  CHECK_FALSE(fs::exists(program));
  CHECK(wine.ServiceKey("TributaryAgent").empty());
  CHECK(files::Read(data / "agent.pem") == certificate);
  CHECK(fs::exists(wine.C("ProgramData/Tributary/agent.toml")));

  // Installed again over the kept data it is the same practice; PURGE=1 at
  // uninstall removes everything Tributary kept.
  wine.Require({"msiexec", "/i", Z(next), "/qn"});
  CHECK(StoreState(data, "practice") == kPractice);
  wine.Require({"msiexec", "/x", Z(next), "/qn", "PURGE=1"});
  CHECK_FALSE(fs::exists(wine.C("ProgramData/Tributary")));
}
