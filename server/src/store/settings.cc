#include "store/settings.h"

#include "store/server_store.h"
#include "store/settings_table.h"
#include "tributary/common/error.h"

namespace tributary::server {

std::optional<std::string> Settings::Get(const std::string& key) {
  return store_.Read([&](StoreReading& r) { return ReadSetting(r.db(), key); });
}

std::string Settings::Claim(const std::string& key, const std::string& value) {
  return store_.Write([&](StoreTransaction& t) { return ClaimSetting(t.db(), key, value); });
}

void Settings::ReplaceCa(const std::string& from, const std::string& to) {
  store_.Write([&](StoreTransaction& t) {
    std::string bound = ReadSetting(t.db(), "ca_sha256").value_or("");
    if (bound == to) return;
    if (bound != from) {
      throw Error::Conflict("the store belongs to the CA " + bound + ", neither " + from + " nor " +
                            to + ": it is not this data directory's store");
    }
    WriteSetting(t.db(), "ca_sha256", to);
    t.Audit("operator", "ca_rollover_finish", "ca", "from CA " + from + " to CA " + to);
  });
}

}  // namespace tributary::server
