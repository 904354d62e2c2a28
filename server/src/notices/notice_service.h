// What the server tells each practice, as its agent reads it (GET
// /v1/sync/pull): the practice's feed of notices (notices/practice_feed.h),
// written by whatever changed in the transaction that changed it. Read-only:
// each call is one consistent reading of the store (store/server_store.h).
//
// Failures throw tributary::Error (the store's). Thread-safe as the store
// is; holds only a reference to the store, which must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "tributary/protocol/messages.h"

namespace tributary::server {

class ServerStore;

class NoticeService {
 public:
  explicit NoticeService(ServerStore& store) : store_(store) {}

  // The practice's notices after `cursor`, oldest first, at most `limit`,
  // and whether more follow.
  protocol::PullReply Pull(const std::string& practice, std::uint64_t cursor, std::size_t limit);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
