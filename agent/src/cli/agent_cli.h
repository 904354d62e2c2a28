#pragma once

namespace tributary::agent {

// The whole command line of tributary-agent; returns the exit status.
int RunAgentCli(int argc, char** argv);

}  // namespace tributary::agent
