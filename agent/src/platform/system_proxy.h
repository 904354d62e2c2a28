// The machine's proxy for the agent's HTTPS when the configuration names
// none (proxy in agent.toml, or --proxy).
//
// Linux (platform/linux_system_proxy.cc): nullopt; libcurl reads the
// https_proxy and no_proxy environment variables itself.
// Windows (platform/windows_system_proxy.cc): those environment variables
// if set (nullopt: libcurl reads them), else the machine's WinHTTP proxy
// (`netsh winhttp set proxy`, what a service running as SYSTEM uses; read
// with WinHttpGetDefaultProxyConfiguration), nullopt when it is direct.
//
// Thread-safe. Never throws: a setting that cannot be read counts as none,
// and says so in the log.
#pragma once

#include <optional>
#include <string>

namespace tributary::agent {

struct SystemProxy {
  std::string url;       // http://host:port
  std::string no_proxy;  // libcurl's NOPROXY list: host suffixes, comma-separated
};

std::optional<SystemProxy> MachineProxy();

// WinHTTP's proxy text ("host:port", or "http=host:port;https=host:port",
// separated by ';' or spaces) and bypass list ("<local>;*.nhs.uk;10.*") as
// libcurl takes them: the HTTPS entry, else the one without a scheme, as
// WinHTTP chooses for an https:// address (an http= entry alone is not used:
// nullopt, direct); the bypass list's "<local>" as loopback, "*.nhs.uk" as a
// suffix, "10.*" as 10.0.0.0/8. Pure: used by the
// Windows implementation and tested on every platform.
std::optional<SystemProxy> ProxyFromWinHttp(const std::string& proxy, const std::string& bypass);

}  // namespace tributary::agent
