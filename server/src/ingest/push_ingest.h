// Ingest of an agent's push: validation of each change, then exactly-once
// application through the store.
//
// docs/design.md invariant 4: the practice comes from the agent's certificate. A batch
// that names another practice anywhere — in the batch or in any record — is
// refused whole.
//
// Thread-safe.
#pragma once

#include <cstdint>

#include "enrol/agent_registry.h"
#include "ingest/receipt_signer.h"
#include "store/server_store.h"
#include "tributary/protocol/messages.h"

namespace tributary::server {

struct IngestResult {
  bool gap = false;  // refused: the agent must resume from resume_from
  std::uint64_t resume_from = 0;
  protocol::PushReply reply;
};

class PushIngest {
 public:
  // With `receipts` (which must outlive this), every answered batch's reply
  // carries its signed receipt; `serve` always gives one.
  explicit PushIngest(ServerStore& store, const ReceiptSigner* receipts = nullptr)
      : store_(store), receipts_(receipts) {}

  // Throws Error(kForbidden) when the batch names another practice.
  IngestResult Ingest(const AgentIdentity& agent, const protocol::PushBatch& batch);

 private:
  ServerStore& store_;
  const ReceiptSigner* receipts_;
};

}  // namespace tributary::server
