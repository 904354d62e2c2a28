// What the server has to tell each practice, in order: an append-only feed
// per practice that agents read with GET /v1/sync/pull?cursor=N. Notices are
// written in the same transaction as the change they report, so the feed
// never misses or invents one. Works on the caller's connection and
// transaction; not thread-safe on its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "database/connection.h"
#include "tributary/protocol/messages.h"

namespace tributary::server {

class PracticeFeed {
 public:
  explicit PracticeFeed(db::Connection& db) : db_(db) {}

  static void CreateSchema(db::Connection& db);

  void Append(const std::string& practice, const std::string& kind, const FieldMap& fields,
              std::int64_t now_ms);

  // The practice's notices after `cursor`, oldest first, at most `limit`,
  // and whether more follow.
  protocol::PullReply Read(const std::string& practice, std::uint64_t cursor, std::size_t limit);

 private:
  db::Connection& db_;
};

}  // namespace tributary::server
