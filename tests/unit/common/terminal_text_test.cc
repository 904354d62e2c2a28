// Text from another party printed on an operator's terminal
// (tributary/common/terminal_text.h).
#include "tributary/common/terminal_text.h"

#include <catch2/catch.hpp>

using tributary::ForTerminal;

TEST_CASE("terminal text: escapes and forged lines are shown, not obeyed") {
  CHECK(ForTerminal("connection refused") == "connection refused");
  CHECK(ForTerminal("\x1b[2J\x1b]0;pwned\x07") == "\\x1b[2J\\x1b]0;pwned\\x07");
  CHECK(ForTerminal("ok\nT99999   enrolled") == "ok\\x0aT99999   enrolled");
  CHECK(ForTerminal("a\rb\tc\x7f") == "a\\x0db\\x09c\\x7f");
  CHECK(ForTerminal(std::string("nul\0here", 8)) == "nul\\x00here");
  // C1 controls in UTF-8 (CSI is U+009B), and bytes that are not UTF-8.
  CHECK(ForTerminal("\xc2\x9b"
                    "31m") == "\\xc2\\x9b31m");
  CHECK(ForTerminal("\xff\xc0\xaf") == "\\xff\\xc0\\xaf");
  CHECK(ForTerminal("\xe2\x82") == "\\xe2\\x82");  // cut short
}

TEST_CASE("terminal text: every printable character is kept, UTF-8 included") {
  CHECK(ForTerminal("Surgery — Ysgol Gymraeg, 99% £ ✓") == "Surgery — Ysgol Gymraeg, 99% £ ✓");
  CHECK(ForTerminal("\xc2\xa0nbsp") == "\xc2\xa0nbsp");  // U+00A0 is past the C1 range
  CHECK(ForTerminal("\xf0\x9f\x98\x80") == "\xf0\x9f\x98\x80");
  CHECK(ForTerminal("") == "");
}
