// Agent idle benchmark: `tributary-agent run`, enrolled, synced, watching its
// drop folder, then left for 60 s with nothing to do. Reads from /proc its
// resident memory, the CPU time it used and how often it woke (context
// switches) over the minute. Compared, in the same run, with the floor of any
// resident background program: `sleep` (a process that only waits), as a
// collectd-like daemon would be at best. With --windows-agent, the same for
// the Windows agent (cmake --preset windows) under wine, on the same store,
// in the same run: the agent's process and, apart, what wine's server
// (wineserver) used meanwhile.
//
//   idle_bench [--seconds 60] [--windows-agent build/windows/agent/tributary-agent.exe]
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "bench_cluster.h"
#include "child_process.h"
#include "temp_dir.h"
#include "tributary/common/files.h"

using namespace tributary;

namespace {

struct ProcessSample {
  double rss_kib = 0;
  double anon_kib = 0;     // the process's own memory; the rest is mapped files (libraries)
  long switches = 0;       // voluntary + involuntary context switches: wake-ups
  double cpu_seconds = 0;  // user + system
};

ProcessSample Sample(pid_t pid) {
  ProcessSample s;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    std::istringstream in(line);
    std::string name;
    long value = 0;
    in >> name >> value;
    if (name == "VmRSS:") s.rss_kib = static_cast<double>(value);
    if (name == "RssAnon:") s.anon_kib = static_cast<double>(value);
    if (name == "voluntary_ctxt_switches:" || name == "nonvoluntary_ctxt_switches:") {
      s.switches += value;
    }
  }
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string skip;
  for (int i = 3; i < 14; ++i) fields >> skip;  // fields 3..13
  long utime = 0, stime = 0;
  fields >> utime >> stime;
  s.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  return s;
}

// The difference over `seconds` of a running process, and its RSS at the end.
ProcessSample Watch(pid_t pid, int seconds) {
  ProcessSample before = Sample(pid);
  // Not synchronisation: the benchmark's measurement window.
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  ProcessSample after = Sample(pid);
  return {after.rss_kib, after.anon_kib, after.switches - before.switches,
          after.cpu_seconds - before.cpu_seconds};
}

// The running wineserver (wine starts one per prefix; the bench uses one).
pid_t WineServerPid() {
  DIR* proc = opendir("/proc");
  pid_t found = 0;
  while (dirent* entry = proc ? readdir(proc) : nullptr) {
    std::ifstream comm(std::string("/proc/") + entry->d_name + "/comm");
    std::string name;
    if (std::getline(comm, name) && name.rfind("wineserver", 0) == 0)
      found = std::atoi(entry->d_name);
  }
  if (proc) closedir(proc);
  return found;
}

std::string Describe(const ProcessSample& s, int seconds) {
  char text[160];
  std::snprintf(
      text, sizeof text,
      "%.1f MB RSS (%.1f MB its own, the rest libraries), %ld wake-ups, %.2f s CPU in %d s",
      s.rss_kib / 1024, s.anon_kib / 1024, s.switches, s.cpu_seconds, seconds);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 60;
  std::string windows_agent;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--seconds" && i + 1 < argc && std::atoi(argv[i + 1]) > 0) {
      seconds = std::atoi(argv[++i]);
    } else if (flag == "--windows-agent" && i + 1 < argc) {
      windows_agent = argv[++i];
    } else {
      std::fprintf(stderr, "usage: idle_bench [--seconds N] [--windows-agent EXE]\n");
      return 2;
    }
  }
  testing::TempDir dir;
  bench::BenchServer server(dir.path() / "server");
  std::string agent_dir = (dir.path() / "B00001").string();
  std::string drop = (dir.path() / "drop").string();
  server.EnrolAgent("B00001", agent_dir, "drop_folder = \"" + drop + "\"\n");

  testing::ChildProcess agent(bench::AgentCommand(agent_dir, {"run"}),
                              testing::ChildProcess::kStderrToStdout);
  agent.WaitForLineContaining("synced", std::chrono::seconds(60));  // its first sync is done
  std::fprintf(stderr, "agent idle for %d s...\n", seconds);
  ProcessSample idle = Watch(agent.pid(), seconds);

  testing::ChildProcess floor({"/usr/bin/sleep", std::to_string(seconds + 5)});
  ProcessSample baseline = Watch(floor.pid(), seconds);

  std::string measured = Describe(idle, seconds);
  char compared[128], ratio[32];
  std::snprintf(compared, sizeof compared, "`sleep`: %.1f MB RSS (%.1f MB its own), %ld wake-ups",
                baseline.rss_kib / 1024, baseline.anon_kib / 1024, baseline.switches);
  std::snprintf(ratio, sizeof ratio, "%.1fx RSS", idle.rss_kib / baseline.rss_kib);
  // Busy means waking on a timer of its own: allow one wake-up per 10 s.
  bool met = idle.rss_kib <= 5 * 1024 && idle.switches <= seconds / 10;
  bench::PrintRow("agent idle: `tributary-agent run` with nothing to do", measured, compared, ratio,
                  "<= 5 MB RSS, no busy wake-ups", met);
  agent.Signal(SIGTERM);
  agent.Wait();

  if (!windows_agent.empty()) {
    // The same store, the Windows agent's paths as wine sees them (drive Z:).
    std::string config = agent_dir + "-windows.toml";
    files::WriteAtomic(config, "drop_folder = 'Z:" + drop + "'\n");
    ::umask(077);  // wine keeps a file's ACL as its Unix mode
    testing::ChildProcess windows({"/usr/bin/wine", windows_agent, "run", "--data-dir",
                                   "Z:" + agent_dir, "--config", "Z:" + config},
                                  testing::ChildProcess::kStderrToStdout);
    windows.WaitForLineContaining("synced", std::chrono::seconds(120));
    pid_t server_pid = WineServerPid();
    ProcessSample server_before = server_pid ? Sample(server_pid) : ProcessSample{};
    std::fprintf(stderr, "windows agent idle under wine for %d s...\n", seconds);
    ProcessSample on_wine = Watch(windows.pid(), seconds);
    ProcessSample server_after = server_pid ? Sample(server_pid) : ProcessSample{};
    char beside[200], wine_ratio[32];
    std::snprintf(
        beside, sizeof beside,
        "the Linux agent above; wineserver meanwhile: %.1f MB RSS, %ld wake-ups, %.2f s CPU",
        server_after.rss_kib / 1024, server_after.switches - server_before.switches,
        server_after.cpu_seconds - server_before.cpu_seconds);
    std::snprintf(wine_ratio, sizeof wine_ratio, "%.1fx RSS", on_wine.rss_kib / idle.rss_kib);
    bench::PrintRow("agent idle on Windows: `tributary-agent.exe run` under wine",
                    Describe(on_wine, seconds), beside, wine_ratio, "no busy wake-ups",
                    on_wine.switches <= seconds / 10);
  }
  return 0;
}
