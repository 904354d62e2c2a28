// Help for one command, cut from a program's manual. The manual is one text:
// a header, a "Commands:" section whose entries each start on a line
// indented by two spaces with the command's name ("  import FILE ..."), their
// description indented further, then "Options for every command:" and the rest.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tributary {

// The manual with only `command`'s entries in its Commands section, or
// nullopt when it has none.
std::optional<std::string> CommandHelp(std::string_view manual, std::string_view command);

// Prints the manual (`command` empty) or the command's help to stdout and
// returns the exit status: 2 (usage) when `bare` (no command was given at
// all), else 0. An unknown command throws Error(kInvalidArgument).
int ShowHelp(std::string_view manual, const std::string& command, bool bare);

}  // namespace tributary
