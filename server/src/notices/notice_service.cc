#include "notices/notice_service.h"

#include "notices/practice_feed.h"
#include "store/server_store.h"

namespace tributary::server {

protocol::PullReply NoticeService::Pull(const std::string& practice, std::uint64_t cursor,
                                        std::size_t limit) {
  return store_.Read(
      [&](StoreReading& r) { return PracticeFeed(r.db()).Read(practice, cursor, limit); });
}

}  // namespace tributary::server
