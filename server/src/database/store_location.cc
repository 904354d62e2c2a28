#include "database/store_location.h"

#include <libpq-fe.h>

#include "database/postgres_connection.h"
#include "database/sqlite_connection.h"
#include "tributary/common/error.h"

namespace tributary::server::db {
namespace {

bool IsPostgresUrl(const std::string& text) {
  return text.rfind("postgresql://", 0) == 0 || text.rfind("postgres://", 0) == 0;
}

struct OptionsFreer {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};

}  // namespace

StoreLocation StoreLocation::Parse(const std::string& text) {
  if (text.empty()) throw Error::InvalidArgument("the store is empty: give a file or a URL");
  if (!IsPostgresUrl(text)) return StoreLocation(std::filesystem::path(text));
  char* message = nullptr;
  std::unique_ptr<PQconninfoOption, OptionsFreer> options(PQconninfoParse(text.c_str(), &message));
  if (!options) {
    std::string why = message ? message : "out of memory";
    PQfreemem(message);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    throw Error::InvalidArgument("the store URL cannot be read: " + why);
  }
  StoreLocation where;
  where.engine_ = Engine::kPostgres;
  where.conninfo_ = text;
  return where;
}

std::string StoreLocation::ToString() const {
  if (engine_ == Engine::kSqlite) return sqlite_file_.string();
  std::unique_ptr<PQconninfoOption, OptionsFreer> options(
      PQconninfoParse(conninfo_.c_str(), nullptr));
  if (!options) return "postgresql://(unreadable)";
  std::string user;
  std::string host;
  std::string port;
  std::string dbname;
  for (PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    std::string keyword = o->keyword;
    if (keyword == "user") user = o->val;
    if (keyword == "host") host = o->val;
    if (keyword == "port") port = o->val;
    if (keyword == "dbname") dbname = o->val;
  }
  return "postgresql://" + (user.empty() ? "" : user + "@") + host +
         (port.empty() ? "" : ":" + port) + "/" + dbname;
}

std::unique_ptr<Connection> Open(const StoreLocation& where, int sqlite_cache_kib) {
  if (where.engine() == Engine::kPostgres) {
    return std::make_unique<PostgresConnection>(where.conninfo());
  }
  return std::make_unique<SqliteConnection>(where.sqlite_file(), sqlite_cache_kib);
}

}  // namespace tributary::server::db
