// HTTPS layer benchmark: wrk (keep-alive, TLS) against the server's /healthz,
// compared in the same run with nginx (Debian nginx-light) serving a small
// file over TLS with the same certificate and key, one worker process, on
// the same loopback: three rounds alternating between them, medians compared. wrk, the server under
// test and the machine's other work share the two cores, so only the ratio is read.
//
//   https_bench [--seconds 10] [--connections 32]   (seconds per round)
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_cluster.h"
#include "child_process.h"
#include "temp_dir.h"
#include "tributary/common/files.h"
#include "tributary/common/unique_fd.h"

using namespace tributary;

namespace {

// nginx cannot report a port the kernel chose, so one is found free first;
// a benchmark may take that small race, a test would not.
int FreePort() {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (!fd.valid() || bind(fd.get(), reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("https_bench: finding a free port");
    std::exit(1);
  }
  return ntohs(address.sin_port);
}

double Wrk(const std::string& url, int seconds, int connections) {
  testing::RunResult r = bench::MustRun({"/usr/bin/wrk", "-t1", "-c" + std::to_string(connections),
                                         "-d" + std::to_string(seconds) + "s", url});
  auto at = r.out.find("Requests/sec:");
  if (at == std::string::npos || r.out.find("Non-2xx") != std::string::npos ||
      r.out.find("Socket errors") != std::string::npos) {
    std::fprintf(stderr, "https_bench: wrk against %s did not run cleanly:\n%s\n", url.c_str(),
                 r.out.c_str());
    std::exit(1);
  }
  return std::atof(r.out.c_str() + at + 13);
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 10, connections = 32;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    int* target = flag == "--seconds" ? &seconds : flag == "--connections" ? &connections : nullptr;
    if (target == nullptr || std::atoi(argv[i + 1]) <= 0) {
      std::fprintf(stderr, "usage: https_bench [--seconds N] [--connections N]\n");
      return 2;
    }
    *target = std::atoi(argv[i + 1]);
  }
  testing::TempDir dir;
  bench::BenchServer server(dir.path() / "server");

  // nginx with the server's own certificate and key, serving a body like /healthz's.
  auto nginx_dir = dir.path() / "nginx";
  std::filesystem::create_directories(nginx_dir / "html");
  files::WriteAtomic(nginx_dir / "html" / "healthz", "{\"status\":\"ok\"}");
  int port = FreePort();
  std::string certificate = (server.data_dir() / "server.pem").string();
  std::string key = (server.data_dir() / "server.key").string();
  files::WriteAtomic(nginx_dir / "nginx.conf",
                     "daemon off;\nmaster_process off;\nworker_processes 1;\n"
                     "error_log " +
                         (nginx_dir / "error.log").string() +
                         ";\n"
                         "pid " +
                         (nginx_dir / "nginx.pid").string() +
                         ";\n"
                         "events { worker_connections 1024; }\n"
                         "http {\n  access_log off;\n"
                         "  client_body_temp_path " +
                         (nginx_dir / "tmp").string() +
                         ";\n"
                         "  server {\n    listen 127.0.0.1:" +
                         std::to_string(port) +
                         " ssl;\n"
                         "    ssl_certificate " +
                         certificate +
                         ";\n"
                         "    ssl_certificate_key " +
                         key +
                         ";\n"
                         "    ssl_protocols TLSv1.2 TLSv1.3;\n"
                         "    keepalive_requests 1000000;\n"
                         "    root " +
                         (nginx_dir / "html").string() + ";\n  }\n}\n");
  testing::ChildProcess nginx(
      {"/usr/sbin/nginx", "-p", nginx_dir.string(), "-c", (nginx_dir / "nginx.conf").string()},
      nginx_dir / "stderr.log");
  // Ready when it answers: wrk's own first connection is the check.
  std::string nginx_url = "https://127.0.0.1:" + std::to_string(port) + "/healthz";
  for (int attempt = 0; attempt < 50; ++attempt) {
    if (testing::Run({"/usr/bin/wrk", "-t1", "-c1", "-d1s", nginx_url}).out.find("Requests/sec") !=
        std::string::npos) {
      break;
    }
  }

  // Alternated, three rounds each, the median kept: the machine's other load
  // then falls on both alike.
  std::fprintf(stderr, "wrk against tributary-server and nginx, 3 x %d s each...\n", seconds);
  std::vector<double> our_rounds, their_rounds;
  for (int round = 0; round < 3; ++round) {
    our_rounds.push_back(Wrk(server.url() + "/healthz", seconds, connections));
    their_rounds.push_back(Wrk(nginx_url, seconds, connections));
  }
  std::sort(our_rounds.begin(), our_rounds.end());
  std::sort(their_rounds.begin(), their_rounds.end());
  double ours = our_rounds[1];
  double theirs = their_rounds[1];

  char measured[64], compared[96], ratio[32];
  std::snprintf(measured, sizeof measured, "%.0f requests/s", ours);
  std::snprintf(compared, sizeof compared, "nginx-light, same certificate: %.0f requests/s",
                theirs);
  std::snprintf(ratio, sizeof ratio, "%.2f", ours / theirs);
  bench::PrintRow(
      "HTTPS layer: `/healthz`, keep-alive, " + std::to_string(connections) + " connections (wrk)",
      measured, compared, ratio, ">= 0.8", ours / theirs >= 0.8);
  return 0;
}
