// The practice's side of receipts (tributary/protocol/receipt.h): every push reply's
// receipt is checked before its acknowledgement is taken, and the ledger can
// be checked whole (`tributary-agent receipts verify`).
//
// The server's signing key is pinned at enrolment, or at the first receipt
// for an agent enrolled before receipts, over the connection verified
// against the server's CA; any other key is refused.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/local_store.h"
#include "tributary/protocol/messages.h"

namespace tributary::agent {

// Throws Error(kProtocol) saying what does not hold: no receipt, another
// key than the one pinned, a signature that does not verify, or a receipt
// for another practice, range, acknowledgement or content than `batch`'s.
void CheckReceipt(LocalStore& store, const protocol::PushBatch& batch,
                  const protocol::PushReply& reply);

struct LedgerCheck {
  std::size_t receipts = 0;
  std::uint64_t acknowledged_seq = 0;  // what the agent holds acknowledged
  std::uint64_t covered_to = 0;        // every seq up to here has a receipt
  std::vector<std::string> problems;   // empty: the ledger verifies
};

// Every receipt's signature under the pinned key, and whether they cover
// every acknowledged seq.
LedgerCheck CheckLedger(LocalStore& store);

}  // namespace tributary::agent
