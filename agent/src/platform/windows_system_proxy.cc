// system_proxy.h on Windows: the WinHTTP default proxy (netsh winhttp).
#include <windows.h>
// after windows.h
#include <winhttp.h>

#include <cstdlib>

#include "platform/system_proxy.h"
#include "tributary/common/log.h"

namespace tributary::agent {
namespace {

std::string Narrow(const wchar_t* text) {
  if (text == nullptr) return "";
  int size = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
  if (size <= 1) return "";
  std::string narrow(static_cast<std::size_t>(size - 1), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text, -1, narrow.data(), size, nullptr, nullptr);
  return narrow;
}

bool EnvironmentNamesProxy() {
  for (const char* name : {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return true;
  }
  return false;
}

}  // namespace

std::optional<SystemProxy> MachineProxy() {
  if (EnvironmentNamesProxy()) return std::nullopt;  // libcurl takes it
  WINHTTP_PROXY_INFO info{};
  if (!WinHttpGetDefaultProxyConfiguration(&info)) {
    log::Warning("system_proxy_unreadable", "WinHttpGetDefaultProxyConfiguration: Windows error " +
                                                std::to_string(GetLastError()) +
                                                "; connecting directly");
    return std::nullopt;
  }
  std::string proxy = Narrow(info.lpszProxy);
  std::string bypass = Narrow(info.lpszProxyBypass);
  if (info.lpszProxy != nullptr) GlobalFree(info.lpszProxy);
  if (info.lpszProxyBypass != nullptr) GlobalFree(info.lpszProxyBypass);
  if (info.dwAccessType != WINHTTP_ACCESS_TYPE_NAMED_PROXY) return std::nullopt;
  return ProxyFromWinHttp(proxy, bypass);
}

}  // namespace tributary::agent
