// Turns a store's kept rollup totals back into the JSON of schema 2, so the
// migrations of older stores are tested on what those stores really held.
#pragma once

#include "tributary/common/sqlite.h"

namespace tributary::server {

// Rewrites every kept practice-month's totals as schema-2 JSON text and sets
// schema_version to 2.
void DowngradeKeptTotalsToSchema2(sqlite::Database& db);

}  // namespace tributary::server
