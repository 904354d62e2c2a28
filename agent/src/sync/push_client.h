// Pushes the outbox to the server, batch by batch, until everything is
// acknowledged (docs/design.md invariant 2: the agent side).
//
// Each batch is the next run of consecutive changes after the acknowledged
// seq. The server's reply moves the acknowledged seq; only then are those
// outbox entries removed. A lost reply is harmless: the batch is sent again
// and the server acknowledges it with no effect. If the server says it already
// holds more ("sequence_gap" with resume_from past ours), the agent catches up;
// if it holds less than it acknowledged (restored from a backup), the agent
// sends the changes since again from those it keeps (store/outbox.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "store/local_store.h"
#include "sync/transport.h"

namespace tributary::agent {

// A change the server took but did not apply (invalid, its month closed,
// its return locked, or a conflict with a central correction), and why.
struct RefusedChange {
  std::uint64_t seq = 0;
  std::string dataset;
  std::string key;
  std::string outcome;  // "invalid", "conflict"
  std::string detail;
};

struct PushSummary {
  std::uint64_t changes_sent = 0;
  std::uint64_t batches = 0;
  std::uint64_t acknowledged_seq = 0;
  std::uint64_t invalid = 0;
  std::uint64_t conflicts = 0;
  std::vector<RefusedChange> refused;  // in seq order
};

class PushClient {
 public:
  // `store`, `client` and `clock` must outlive the PushClient.
  PushClient(LocalStore& store, Transport& client, std::string server_url, std::size_t batch_size,
             const Clock& clock);

  // Pushes until the outbox is empty. Throws tributary::Error (kNetwork,
  // kUnavailable with the server's Retry-After in the message, kProtocol,
  // kUnauthorized, kForbidden) when it cannot finish; what was acknowledged
  // before the failure stays acknowledged.
  PushSummary PushAll();

  // The server holds only `server_has` of the changes it acknowledged (it
  // was restored from a backup; its pull reply says so): the later ones wait
  // to be sent again by the next PushAll. Throws Error(kConflict) when they
  // are no longer all kept (store/outbox.h kResendWindowMs).
  void ResendAfter(std::uint64_t server_has);

 private:
  // Sends one batch; returns false when there was nothing to send.
  bool PushOneBatch(PushSummary& summary);

  LocalStore& store_;
  Transport& client_;
  std::string server_url_;
  std::size_t batch_size_;
  const Clock& clock_;
};

}  // namespace tributary::agent
