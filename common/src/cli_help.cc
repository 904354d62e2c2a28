#include "tributary/common/cli_help.h"

#include <cstdio>

#include "tributary/common/cli_errors.h"
#include "tributary/common/error.h"

namespace tributary {

std::optional<std::string> CommandHelp(std::string_view manual, std::string_view command) {
  std::size_t commands = manual.find("\nCommands:\n");
  std::size_t options = manual.find("\nOptions for every command:");
  if (commands == std::string_view::npos || options == std::string_view::npos) return std::nullopt;
  std::string out(manual.substr(0, commands + 1));
  bool in_entry = false;
  bool found = false;
  std::size_t at = commands + std::string_view("\nCommands:\n").size();
  while (at < options + 1) {
    std::size_t end = manual.find('\n', at);
    std::string_view line = manual.substr(at, end - at + 1);
    bool starts_entry = line.size() > 2 && line.substr(0, 2) == "  " && line[2] != ' ';
    if (starts_entry) {
      std::string_view name = line.substr(2, line.find_first_of(" \n", 2) - 2);
      in_entry = name == command;
      found |= in_entry;
    }
    if (in_entry) out += line;
    at = end + 1;
  }
  if (!found) return std::nullopt;
  out += manual.substr(options);
  return out;
}

int ShowHelp(std::string_view manual, const std::string& command, bool bare) {
  if (command.empty()) {
    std::fwrite(manual.data(), 1, manual.size(), stdout);
    return bare ? kExitUsage : kExitOk;
  }
  std::optional<std::string> help = CommandHelp(manual, command);
  if (!help) throw Error::InvalidArgument("no command '" + command + "'; see --help");
  std::fputs(help->c_str(), stdout);
  return kExitOk;
}

}  // namespace tributary
