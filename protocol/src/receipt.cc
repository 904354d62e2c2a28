#include "tributary/protocol/receipt.h"

#include "tributary/common/digest.h"
#include "tributary/common/signing.h"
#include "tributary/protocol/codec.h"

namespace tributary::protocol {

std::string ReceiptText(const Receipt& r) {
  return "tributary-receipt 1\npractice " + r.practice + "\nfrom_seq " +
         std::to_string(r.from_seq) + "\nto_seq " + std::to_string(r.to_seq) +
         "\nacknowledged_seq " + std::to_string(r.acknowledged_seq) + "\nchanges_sha256 " +
         r.changes_sha256 + "\nat_ms " + std::to_string(r.at_ms) + "\n";
}

std::string BatchSha256(const PushBatch& batch) { return digest::Sha256Hex(Encode(batch)); }

bool SignatureHolds(const Receipt& receipt) {
  return signing::Verify(receipt.public_key, ReceiptText(receipt), receipt.signature);
}

}  // namespace tributary::protocol
