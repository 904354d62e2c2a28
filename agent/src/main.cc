#include <curl/curl.h>
#include <openssl/crypto.h>

#include "cli/agent_cli.h"

int main(int argc, char** argv) {
#ifdef _WIN32
  // No openssl.cnf on Windows: the folder OpenSSL would read it from is not
  // Windows' to protect, and the agent's TLS settings are its own.
  OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr);
#endif
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int status = tributary::agent::RunAgentCli(argc, argv);
  curl_global_cleanup();
  return status;
}
