// Command-line arguments of the form: COMMAND [SUBCOMMAND] [--flag value | --switch |
// positional]... Both programs use it so that flags behave the same everywhere.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tributary {

class Arguments {
 public:
  // `switches` names the flags that take no value (e.g. "json"). Throws
  // Error(kInvalidArgument) for a flag given twice or missing its value.
  Arguments(int argc, const char* const* argv, const std::set<std::string>& switches);

  // Positional words in order (the command, subcommand, file names...).
  const std::vector<std::string>& positional() const { return positional_; }
  std::string Positional(std::size_t index) const;

  bool Has(const std::string& flag) const;
  std::optional<std::string> Get(const std::string& flag) const;
  // Throws Error(kInvalidArgument) "--flag is required" when absent.
  std::string Require(const std::string& flag) const;
  // Every value of a flag that may repeat (e.g. --hostname a --hostname b).
  std::vector<std::string> GetAll(const std::string& flag) const;

  // Throws Error(kInvalidArgument) naming the first flag not in `allowed`.
  void AllowOnly(const std::set<std::string>& allowed) const;

 private:
  std::vector<std::string> positional_;
  std::multimap<std::string, std::string> flags_;
};

}  // namespace tributary
