#include "tributary/common/config_file.h"

#include <toml++/toml.h>

#include "tributary/common/error.h"

namespace tributary {
namespace {

class TomlSetting final : public ConfigSetting {
 public:
  TomlSetting(std::string name, const toml::node& value, std::string where)
      : name_(std::move(name)), value_(value), where_(std::move(where)) {}

  const std::string& name() const override { return name_; }

  std::string Text() const override {
    if (!value_.is_string()) throw Error::InvalidInput(where_ + ": must be a string");
    return value_.as_string()->get();
  }

  std::int64_t Integer(std::int64_t min, std::int64_t max) const override {
    if (!value_.is_integer()) throw Error::InvalidInput(where_ + ": must be a whole number");
    std::int64_t n = value_.as_integer()->get();
    if (n < min || n > max) {
      throw Error::InvalidInput(where_ + ": must be " + std::to_string(min) + " to " +
                                std::to_string(max));
    }
    return n;
  }

  std::string OneOf(const std::vector<std::string>& allowed) const override {
    std::string text = Text();
    std::string names;
    for (const std::string& a : allowed) {
      if (a == text) return text;
      names += (names.empty() ? "" : ", ") + a;
    }
    throw Error::InvalidInput(where_ + ": must be one of " + names + ", not '" + text + "'");
  }

  void Unknown(const std::string& program) const override {
    throw Error::InvalidInput(where_ + ": is not a setting of " + program);
  }

 private:
  std::string name_;
  const toml::node& value_;
  std::string where_;
};

}  // namespace

bool ReadConfigFile(const std::filesystem::path& path, bool must_exist,
                    const std::function<void(const ConfigSetting&)>& apply) {
  if (!std::filesystem::exists(path)) {
    if (must_exist) throw Error::NotFound("config file " + path.string() + " does not exist");
    return false;
  }
  toml::table table;
  try {
    table = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    throw Error::InvalidInput(path.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                              std::string(e.description()));
  }
  for (const auto& [key, value] : table) {
    std::string name(key.str());
    apply(TomlSetting(name, value,
                      path.string() + ":" + std::to_string(key.source().begin.line) + ": " + name));
  }
  return true;
}

}  // namespace tributary
