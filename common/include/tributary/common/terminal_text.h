// Text another party wrote (an agent's last error, a person's comment),
// made safe to print on an operator's terminal: it cannot move the cursor,
// clear the screen, set the title or start a forged line. Control characters
// (C0 but for none, DEL, and the C1 range written in UTF-8) are shown as
// \xNN; bytes that are not UTF-8 as \xNN too. Everything else is kept.
#pragma once

#include <string>
#include <string_view>

namespace tributary {

std::string ForTerminal(std::string_view text);

}  // namespace tributary
