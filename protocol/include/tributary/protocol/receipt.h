// Push receipts (docs/protocol.md, "Receipts"): the exact text the server
// signs, and the digest of a batch both sides compute, so a practice can
// prove what the server took and the server cannot deny it.
#pragma once

#include <string>

#include "tributary/protocol/messages.h"

namespace tributary::protocol {

// The signed text: one "name value" line each, in this order:
//   tributary-receipt 1 / practice / from_seq / to_seq / acknowledged_seq /
//   changes_sha256 / at_ms
std::string ReceiptText(const Receipt& receipt);

// SHA-256 (hex) of the batch as protocol::Encode writes it.
std::string BatchSha256(const PushBatch& batch);

// True when the receipt's signature is its public key's over ReceiptText.
bool SignatureHolds(const Receipt& receipt);

}  // namespace tributary::protocol
