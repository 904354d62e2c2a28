#include "test_postgres.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace tributary::testing {
namespace {

std::string ClusterUrl() {
  const char* file = std::getenv("TRIBUTARY_TEST_POSTGRES");
  if (file == nullptr || *file == '\0') {
    throw std::runtime_error("TRIBUTARY_TEST_POSTGRES is not set: the tests use SQLite");
  }
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url) || url.empty()) {
    throw std::runtime_error(std::string("no test cluster URL in ") + file +
                             ": is the postgres:start fixture running?");
  }
  return url;
}

void IgnoreNotice(void*, const char*) {}

struct Closer {
  void operator()(PGconn* c) const { PQfinish(c); }
};

}  // namespace

bool TestsUsePostgres() {
  const char* file = std::getenv("TRIBUTARY_TEST_POSTGRES");
  return file != nullptr && *file != '\0';
}

std::string TestPostgresUrl(const std::filesystem::path& dir) {
  std::string base = ClusterUrl();
  std::ostringstream name;
  name << "t_" << std::hex << std::hash<std::string>{}(std::filesystem::absolute(dir).string());
  std::unique_ptr<PGconn, Closer> conn(PQconnectdb(base.c_str()));
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error("cannot connect to the test cluster " + base + ": " +
                             PQerrorMessage(conn.get()));
  }
  PQsetNoticeProcessor(conn.get(), IgnoreNotice, nullptr);  // "already exists, skipping"
  std::string sql = "CREATE SCHEMA IF NOT EXISTS " + name.str();
  PGresult* result = PQexec(conn.get(), sql.c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  std::string message = PQresultErrorMessage(result);
  PQclear(result);
  // Two tests' first opens may race to create the same schema: either wins.
  if (!ok && message.find("already exists") == std::string::npos) {
    throw std::runtime_error("cannot create schema " + name.str() + ": " + message);
  }
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         name.str();
}

}  // namespace tributary::testing
