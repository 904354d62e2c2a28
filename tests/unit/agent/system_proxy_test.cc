// The machine's proxy as WinHTTP states it (netsh winhttp set proxy), taken
// as libcurl takes a proxy: the Windows agent's, tested on every platform.
#include "platform/system_proxy.h"

#include <catch2/catch.hpp>

using namespace tributary::agent;

TEST_CASE("winhttp proxy: one proxy for every scheme, with its bypass list") {
  auto proxy = ProxyFromWinHttp("proxy.practice.local:3128",
                                "<local>;*.nhs.uk;10.*;192.168.*;172.16.5.*;host-*.local");
  REQUIRE(proxy);
  CHECK(proxy->url == "http://proxy.practice.local:3128");
  // <local> as loopback, *.nhs.uk as a suffix, address patterns as ranges;
  // other patterns have no libcurl form.
  CHECK(proxy->no_proxy ==
        "localhost,127.0.0.1,::1,.nhs.uk,10.0.0.0/8,192.168.0.0/16,172.16.5.0/24");
}

TEST_CASE("winhttp proxy: the HTTPS entry of a per-scheme list, else the one for every scheme") {
  CHECK(ProxyFromWinHttp("http=web:80;https=secure:8443", "")->url == "http://secure:8443");
  CHECK(ProxyFromWinHttp("http=web:80 any:3128", "")->url == "http://any:3128");
  CHECK_FALSE(ProxyFromWinHttp("http=web:80", ""));  // not for https://: direct, as WinHTTP
  CHECK(ProxyFromWinHttp("https=http://secure:8443", "")->url == "http://secure:8443");
  CHECK(ProxyFromWinHttp("http=web:80;https=secure:8443", "")->no_proxy.empty());
}

TEST_CASE("winhttp proxy: no usable entry is no proxy") {
  CHECK_FALSE(ProxyFromWinHttp("", ""));
  CHECK_FALSE(ProxyFromWinHttp(" ; ", "<local>"));
  CHECK_FALSE(ProxyFromWinHttp("ftp=files:21", ""));
}

#ifndef _WIN32
TEST_CASE("machine proxy on Linux: none; libcurl reads https_proxy itself") {
  CHECK_FALSE(MachineProxy());
}
#endif
