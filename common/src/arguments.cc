#include "tributary/common/arguments.h"

#include "tributary/common/error.h"

namespace tributary {

Arguments::Arguments(int argc, const char* const* argv, const std::set<std::string>& switches) {
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word.rfind("--", 0) != 0 || word.size() == 2) {
      positional_.push_back(word);
      continue;
    }
    std::string name = word.substr(2);
    std::string value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (switches.count(name) == 0) {
      if (i + 1 >= argc) throw Error::InvalidArgument("--" + name + " needs a value");
      value = argv[++i];
    }
    flags_.emplace(name, value);
  }
}

std::string Arguments::Positional(std::size_t index) const {
  return index < positional_.size() ? positional_[index] : std::string();
}

bool Arguments::Has(const std::string& flag) const { return flags_.count(flag) > 0; }

std::optional<std::string> Arguments::Get(const std::string& flag) const {
  auto range = flags_.equal_range(flag);
  if (range.first == range.second) return std::nullopt;
  if (std::next(range.first) != range.second) {
    throw Error::InvalidArgument("--" + flag + " is given more than once");
  }
  return range.first->second;
}

std::string Arguments::Require(const std::string& flag) const {
  auto value = Get(flag);
  if (!value || value->empty()) throw Error::InvalidArgument("--" + flag + " is required");
  return *value;
}

std::vector<std::string> Arguments::GetAll(const std::string& flag) const {
  std::vector<std::string> values;
  auto range = flags_.equal_range(flag);
  for (auto it = range.first; it != range.second; ++it) values.push_back(it->second);
  return values;
}

void Arguments::AllowOnly(const std::set<std::string>& allowed) const {
  for (const auto& [name, value] : flags_) {
    if (allowed.count(name) == 0) throw Error::InvalidArgument("unknown option --" + name);
  }
}

}  // namespace tributary
