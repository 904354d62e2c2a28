// The server's signed receipts (tributary/protocol/receipt.h), kept as they came, in
// the order they came: the practice's proof of what the server took. Append
// only: the store's triggers refuse any UPDATE or DELETE.
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe. Failures throw tributary::Error(kDatabase).
#pragma once

#include <vector>

#include "tributary/common/sqlite.h"
#include "tributary/protocol/messages.h"

namespace tributary::agent {

class ReceiptLedger {
 public:
  // `db` must outlive the ledger.
  explicit ReceiptLedger(sqlite::Database& db) : db_(db) {}

  static void CreateSchema(sqlite::Database& db);

  void Append(const protocol::Receipt& receipt);
  // Every receipt, oldest first.
  std::vector<protocol::Receipt> All();

 private:
  sqlite::Database& db_;
};

}  // namespace tributary::agent
