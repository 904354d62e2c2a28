// Every file the agent imported, by the SHA-256 of its content, so that
// importing the same file again does nothing.
//
// Works on the caller's connection inside the caller's transaction (an
// import and its log entry commit together). Not thread-safe. Failures throw
// tributary::Error(kDatabase).
#pragma once

#include <cstddef>
#include <string>

#include "tributary/common/sqlite.h"

namespace tributary::agent {

class ImportLog {
 public:
  // `db` must outlive the log.
  explicit ImportLog(sqlite::Database& db) : db_(db) {}

  static void CreateSchema(sqlite::Database& db);

  bool Contains(const std::string& sha256);
  void Add(const std::string& sha256, const std::string& file_name, const std::string& dataset,
           std::size_t rows, std::size_t upserts, std::size_t deletes,
           const std::string& imported_at);

 private:
  sqlite::Database& db_;
};

}  // namespace tributary::agent
