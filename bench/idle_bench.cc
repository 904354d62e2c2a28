// Agent idle benchmark: `tributary-agent run`, enrolled, synced, watching its
// drop folder, then left for 60 s with nothing to do. Reads from /proc its
// resident memory, the CPU time it used and how often it woke (context
// switches) over the minute. Compared, in the same run, with the floor of any
// resident background program: `sleep` (a process that only waits), as a
// collectd-like daemon would be at best.
//
//   idle_bench [--seconds 60]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "bench_cluster.h"
#include "child_process.h"
#include "temp_dir.h"

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

}  // namespace

int main(int argc, char** argv) {
  int seconds = 60;
  if (argc == 3 && std::string(argv[1]) == "--seconds" && std::atoi(argv[2]) > 0) {
    seconds = std::atoi(argv[2]);
  } else if (argc != 1) {
    std::fprintf(stderr, "usage: idle_bench [--seconds N]\n");
    return 2;
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

  char measured[160], compared[128], ratio[32];
  std::snprintf(
      measured, sizeof measured,
      "%.1f MB RSS (%.1f MB its own, the rest libraries), %ld wake-ups, %.2f s CPU in %d s",
      idle.rss_kib / 1024, idle.anon_kib / 1024, idle.switches, idle.cpu_seconds, seconds);
  std::snprintf(compared, sizeof compared, "`sleep`: %.1f MB RSS (%.1f MB its own), %ld wake-ups",
                baseline.rss_kib / 1024, baseline.anon_kib / 1024, baseline.switches);
  std::snprintf(ratio, sizeof ratio, "%.1fx RSS", idle.rss_kib / baseline.rss_kib);
  // Busy means waking on a timer of its own: allow one wake-up per 10 s.
  bool met = idle.rss_kib <= 5 * 1024 && idle.switches <= seconds / 10;
  bench::PrintRow("agent idle: `tributary-agent run` with nothing to do", measured, compared, ratio,
                  "<= 5 MB RSS, no busy wake-ups", met);
  return 0;
}
