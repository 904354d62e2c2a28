#pragma once

namespace tributary::server {

// The whole command line of tributary-server; returns the exit status.
int RunServerCli(int argc, char** argv);

}  // namespace tributary::server
