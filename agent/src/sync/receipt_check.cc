#include "sync/receipt_check.h"

#include <algorithm>

#include "tributary/common/error.h"
#include "tributary/protocol/receipt.h"

namespace tributary::agent {
namespace {

constexpr const char* kPinned = "signing_public_key";

std::string Range(std::uint64_t from, std::uint64_t to) {
  return std::to_string(from) + ".." + std::to_string(to);
}

}  // namespace

void CheckReceipt(LocalStore& store, const protocol::PushBatch& batch,
                  const protocol::PushReply& reply) {
  std::string range = Range(batch.from_seq, batch.to_seq);
  if (!reply.receipt) {
    throw Error::Protocol("the server's reply to seqs " + range + " carries no signed receipt");
  }
  const protocol::Receipt& r = *reply.receipt;
  std::optional<std::string> pinned = store.GetState(kPinned);
  if (pinned && !pinned->empty() && *pinned != r.public_key) {
    throw Error::Protocol("the receipt for seqs " + range + " is signed with key " + r.public_key +
                          ", not the server's " + *pinned);
  }
  if (!protocol::SignatureHolds(r)) {
    throw Error::Protocol("the receipt for seqs " + range + " does not verify");
  }
  if (r.practice != batch.practice || r.from_seq != batch.from_seq || r.to_seq != batch.to_seq ||
      r.acknowledged_seq != reply.acknowledged_seq) {
    throw Error::Protocol("the receipt (" + r.practice + ", seqs " + Range(r.from_seq, r.to_seq) +
                          ", acknowledged " + std::to_string(r.acknowledged_seq) +
                          ") is not for the batch sent (" + batch.practice + ", seqs " + range +
                          ")");
  }
  if (r.changes_sha256 != protocol::BatchSha256(batch)) {
    throw Error::Protocol("the receipt for seqs " + range +
                          " is for other changes than those sent (SHA-256 " + r.changes_sha256 +
                          ")");
  }
  if (!pinned || pinned->empty()) store.SetState(kPinned, r.public_key);
}

LedgerCheck CheckLedger(LocalStore& store) {
  LedgerCheck check;
  check.acknowledged_seq = store.AcknowledgedSeq();
  std::string pinned = store.GetState(kPinned).value_or("");
  std::vector<protocol::Receipt> receipts = store.Receipts();
  check.receipts = receipts.size();
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
  for (std::size_t i = 0; i < receipts.size(); ++i) {
    const protocol::Receipt& r = receipts[i];
    std::string which =
        "receipt " + std::to_string(i + 1) + " (seqs " + Range(r.from_seq, r.to_seq) + ")";
    if (r.public_key != pinned) {
      check.problems.push_back(which + " is signed with another key than the server's");
    } else if (!protocol::SignatureHolds(r)) {
      check.problems.push_back(which + " does not verify: it was changed after it came");
    } else {
      // Only what the server acknowledged in it is covered by it.
      ranges.emplace_back(r.from_seq, std::min(r.to_seq, r.acknowledged_seq));
    }
  }
  std::sort(ranges.begin(), ranges.end());
  for (const auto& [from, to] : ranges) {
    if (from > check.covered_to + 1) break;
    check.covered_to = std::max(check.covered_to, to);
  }
  if (check.covered_to < check.acknowledged_seq) {
    check.problems.push_back("seqs " + Range(check.covered_to + 1, check.acknowledged_seq) +
                             " were acknowledged without a receipt that verifies");
  }
  return check;
}

}  // namespace tributary::agent
