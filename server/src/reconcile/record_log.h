// The records every practice sent, as the server holds them now, and the
// append-only log of every change applied to them: who (an agent, or a
// person for a central change), when, the version, and what it replaced
// (docs/design.md invariant 6).
//
// Works on the caller's connection inside the caller's transaction, so a
// change and its log entry commit together. Not thread-safe on its own;
// ServerStore serialises it. Failures throw tributary::Error(kDatabase).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "database/connection.h"
#include "tributary/common/dataset.h"

namespace tributary::server {

// A record as held, with what a change needs to know of it.
struct HeldRow {
  std::string fields;  // canonical JSON
  std::uint64_t version = 0;
  std::string origin;  // the agent id, or the person, that wrote it
  std::string period;
};

// One change to write: an upsert when `fields` is set, else a delete. It
// refers to the caller's strings, which must outlive the Write (a batch
// writes thousands of changes; none is copied).
struct RecordWrite {
  std::string_view practice;
  std::string_view dataset;
  std::string_view key;
  std::string_view period;
  const std::string* fields = nullptr;  // canonical JSON; nullptr: a delete
  std::uint64_t version = 0;
  std::uint64_t base_version = 0;
  std::string_view origin;
  std::uint64_t seq = 0;  // the agent's seq; 0 for a central change
};

// A record as the server holds it.
struct ServerRecord {
  std::string practice;
  std::string dataset;
  FieldMap fields;
};

class RecordLog {
 public:
  // `db` must outlive the log.
  explicit RecordLog(db::Connection& db);

  static void CreateSchema(db::Connection& db);

  std::optional<HeldRow> Find(const std::string& practice, const std::string& dataset,
                              const std::string& key);
  // The months that hold records, oldest first.
  std::vector<std::string> Periods();
  // The held rows among `keys` of one practice's dataset, by key, read a
  // few hundred keys to a statement.
  std::map<std::string, HeldRow> FindMany(const std::string& practice, const std::string& dataset,
                                          const std::vector<std::string>& keys);
  // Writes the change and logs it with `previous`, the fields it replaced.
  void Write(const RecordWrite& change, const std::optional<std::string>& previous,
             std::int64_t now_ms);
  // The same for many changes, in their order, several rows to a statement
  // (one round trip to PostgreSQL for dozens of changes). No two upserts may
  // name the same record.
  void WriteMany(
      const std::vector<std::pair<RecordWrite, const std::optional<std::string>*>>& changes,
      std::int64_t now_ms);

 private:
  db::Connection& db_;
  // Prepared once: a batch writes thousands of changes.
  db::Statement find_;
  db::Statement upsert_;
  db::Statement remove_;
  db::Statement log_;
};

}  // namespace tributary::server
