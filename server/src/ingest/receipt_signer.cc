#include "ingest/receipt_signer.h"

#include "tributary/protocol/receipt.h"

namespace tributary::server {

protocol::Receipt ReceiptSigner::Sign(const protocol::PushBatch& batch,
                                      std::uint64_t acknowledged_seq) const {
  protocol::Receipt r;
  r.practice = batch.practice;
  r.from_seq = batch.from_seq;
  r.to_seq = batch.to_seq;
  r.acknowledged_seq = acknowledged_seq;
  r.changes_sha256 = protocol::BatchSha256(batch);
  r.at_ms = static_cast<std::uint64_t>(clock_.NowMillis());
  r.public_key = public_key_;
  r.signature = key_.Sign(protocol::ReceiptText(r));
  return r;
}

}  // namespace tributary::server
