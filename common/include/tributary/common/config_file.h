// Reads a TOML configuration file of flat `name = value` settings, the same
// way for both programs: a missing file gives the caller's defaults (unless it
// must exist), and every mistake is an Error(kInvalidInput) naming the file,
// the line and the setting.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace tributary {

// One setting as read; its accessors throw the error naming it.
class ConfigSetting {
 public:
  virtual ~ConfigSetting() = default;
  virtual const std::string& name() const = 0;
  virtual std::string Text() const = 0;
  virtual std::int64_t Integer(std::int64_t min, std::int64_t max) const = 0;
  // A string that must be one of `allowed`.
  virtual std::string OneOf(const std::vector<std::string>& allowed) const = 0;
  // For a setting the program does not know.
  [[noreturn]] virtual void Unknown(const std::string& program) const = 0;
};

// Calls `apply` for each setting in the file, in order. Returns false, calling
// nothing, when the file does not exist and need not.
bool ReadConfigFile(const std::filesystem::path& path, bool must_exist,
                    const std::function<void(const ConfigSetting&)>& apply);

}  // namespace tributary
