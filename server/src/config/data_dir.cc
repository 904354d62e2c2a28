#include "config/data_dir.h"

#include <optional>

#include "tributary/common/error.h"
#include "tributary/common/files.h"

namespace tributary::server {

db::StoreLocation ServerPaths::Store() const {
  std::optional<db::StoreLocation> recorded;
  if (std::filesystem::exists(StoreUrlFile())) {
    std::string text = files::Read(StoreUrlFile());
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (text.rfind("postgres", 0) != 0) {
      throw Error::InvalidInput(StoreUrlFile().string() +
                                ": line 1: not a postgresql:// URL; it holds what init "
                                "--store was given");
    }
    recorded = db::StoreLocation::Parse(text);
  }
  if (!store_setting.empty()) {
    db::StoreLocation configured = db::StoreLocation::Parse(store_setting);
    if (configured.engine() != db::Engine::kPostgres) {
      throw Error::InvalidInput("store '" + store_setting +
                                "' in the configuration is not a postgresql:// URL (the SQLite "
                                "store is always DATA_DIR/server.db, the default)");
    }
    if (recorded && recorded->conninfo() != configured.conninfo()) {
      throw Error::Conflict("store in the configuration (" + configured.ToString() +
                            ") is not the store " + dir.string() + " was initialised with (" +
                            recorded->ToString() + ", in " + StoreUrlFile().string() + ")");
    }
    return configured;
  }
  if (recorded) return *recorded;
  return SqliteFile();
}

}  // namespace tributary::server
