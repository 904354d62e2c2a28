#include <curl/curl.h>

#include "cli/agent_cli.h"

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int status = tributary::agent::RunAgentCli(argc, argv);
  curl_global_cleanup();
  return status;
}
