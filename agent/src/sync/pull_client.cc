#include "sync/pull_client.h"

#include "sync/server_refusal.h"
#include "tributary/common/error.h"
#include "tributary/protocol/codec.h"

namespace tributary::agent {

std::size_t PullClient::PullAll() {
  std::size_t applied = 0;
  for (;;) {
    std::uint64_t cursor = store_.PullCursor();
    HttpsResponse response =
        client_.Get(server_url_ + "/v1/sync/pull?cursor=" + std::to_string(cursor));
    if (response.status != 200) ThrowServerRefusal(response, "pull");
    auto reply = protocol::DecodePullReply(response.body);
    if (!reply.ok()) {
      throw Error::Protocol("pull reply: " + reply.error().field + " " + reply.error().message);
    }
    // Back with nothing new is a server restored from a backup, whose
    // notices end before ours (store/server_feed.h); back with notices is not.
    if (reply.value().cursor < cursor && !reply.value().notices.empty()) {
      throw Error::Protocol("the server's cursor went back from " + std::to_string(cursor) +
                            " to " + std::to_string(reply.value().cursor));
    }
    applied += store_.ApplyNotices(reply.value().notices, reply.value().cursor);
    server_acknowledged_ = reply.value().acknowledged_seq;
    if (!reply.value().more) return applied;
    if (reply.value().cursor == cursor) {
      throw Error::Protocol("the server says more notices wait but sent none");
    }
  }
}

}  // namespace tributary::agent
