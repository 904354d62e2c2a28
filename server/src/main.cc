#include "cli/server_cli.h"

int main(int argc, char** argv) { return tributary::server::RunServerCli(argc, argv); }
