// The store's settings table: one text value per key (the schema version,
// the CA the store belongs to, the keys' public halves, the hierarchy's
// import, the reporting marks). Works on the caller's connection inside the
// caller's transaction; not thread-safe on its own. Failures throw
// tributary::Error(kDatabase).
#pragma once

#include <optional>
#include <string>

#include "database/connection.h"

namespace tributary::server {

void CreateSettingsTable(db::Connection& db);
std::optional<std::string> ReadSetting(db::Connection& db, const std::string& key);
// Sets `key` to `value`, whatever it was.
void WriteSetting(db::Connection& db, const std::string& key, const std::string& value);
// Sets `key` to `value` unless it has a value already; returns the value it
// has now (two processes claiming at once both get the first's).
std::string ClaimSetting(db::Connection& db, const std::string& key, const std::string& value);

}  // namespace tributary::server
