// The Windows agent's proxy when agent.toml names none: the machine's WinHTTP
// setting (what `netsh winhttp set proxy` writes), set here through WinHTTP
// itself under wine and put back afterwards.
#include <windows.h>
// after windows.h
#include <winhttp.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "platform/system_proxy.h"

using namespace tributary::agent;

namespace {

void SetMachineProxy(const wchar_t* proxy, const wchar_t* bypass) {
  WINHTTP_PROXY_INFO info{};
  info.dwAccessType = proxy ? WINHTTP_ACCESS_TYPE_NAMED_PROXY : WINHTTP_ACCESS_TYPE_NO_PROXY;
  info.lpszProxy = const_cast<wchar_t*>(proxy);
  info.lpszProxyBypass = const_cast<wchar_t*>(bypass);
  REQUIRE(WinHttpSetDefaultProxyConfiguration(&info));
}

struct DirectAfter {
  ~DirectAfter() { SetMachineProxy(nullptr, nullptr); }
};

}  // namespace

TEST_CASE("windows machine proxy: WinHTTP's named proxy and bypass, or none when direct") {
  DirectAfter restore;
  _putenv_s("https_proxy", "");
  SetMachineProxy(L"proxy.practice.local:3128", L"<local>;*.nhs.uk");
  auto proxy = MachineProxy();
  REQUIRE(proxy);
  CHECK(proxy->url == "http://proxy.practice.local:3128");
  CHECK(proxy->no_proxy == "localhost,127.0.0.1,::1,.nhs.uk");

  // The environment, when set, is libcurl's to read: no machine proxy.
  _putenv_s("https_proxy", "http://env:8080");
  CHECK_FALSE(MachineProxy());
  _putenv_s("https_proxy", "");

  SetMachineProxy(nullptr, nullptr);
  CHECK_FALSE(MachineProxy());
}
