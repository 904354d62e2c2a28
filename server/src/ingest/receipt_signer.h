// Signs the receipt of every batch the server answered (tributary/protocol/receipt.h)
// with the server's signing key (keys/server_keys.h): proof, kept by the
// practice, of what the server took and when.
//
// Thread-safe: read-only after construction.
#pragma once

#include <string>

#include "tributary/common/hlc.h"
#include "tributary/common/signing.h"
#include "tributary/protocol/messages.h"

namespace tributary::server {

class ReceiptSigner {
 public:
  // `clock` must outlive the signer.
  ReceiptSigner(signing::SigningKey key, const Clock& clock)
      : key_(std::move(key)), public_key_(key_.PublicKeyHex()), clock_(clock) {}

  // The receipt for `batch`, answered with the agent's high-water mark
  // `acknowledged_seq`.
  protocol::Receipt Sign(const protocol::PushBatch& batch, std::uint64_t acknowledged_seq) const;

  const std::string& public_key() const { return public_key_; }

 private:
  const signing::SigningKey key_;
  const std::string public_key_;
  const Clock& clock_;
};

}  // namespace tributary::server
