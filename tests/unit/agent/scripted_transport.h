// A transport (sync/transport.h) that answers from a script instead of a
// server: each request takes the next scripted step — a reply, a reply
// computed from the request, or a network failure — and every request is
// kept for the test to read. A request with nothing scripted fails the test.
#pragma once

#include <catch2/catch.hpp>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "sync/transport.h"
#include "tributary/common/error.h"
#include "tributary/common/signing.h"
#include "tributary/protocol/codec.h"
#include "tributary/protocol/compression.h"
#include "tributary/protocol/receipt.h"

namespace tributary::agent::testing {

struct Exchange {
  std::string method;  // GET or POST
  std::string url;
  std::string body;  // as sent (a push is zstd-compressed)
  std::vector<std::string> headers;

  // The push batch this request carried.
  protocol::PushBatch Batch() const {
    auto json = protocol::Decompress(body, 64 << 20);
    REQUIRE(json);
    auto batch = protocol::DecodePushBatch(*json);
    REQUIRE(batch.ok());
    return batch.value();
  }
};

class ScriptedTransport final : public Transport {
 public:
  using Answer = std::function<HttpsResponse(const Exchange&)>;

  void Reply(HttpsResponse response) {
    steps_.push_back([response](const Exchange&) { return response; });
  }
  void ReplyWith(Answer answer) { steps_.push_back(std::move(answer)); }
  // The request goes, and no reply comes back.
  void Fail(const std::string& why) {
    steps_.push_back([why](const Exchange&) -> HttpsResponse { throw Error::Network(why); });
  }

  HttpsResponse Get(const std::string& url, const std::vector<std::string>& headers) override {
    return Take({"GET", url, "", headers});
  }
  HttpsResponse Post(const std::string& url, std::string_view body,
                     const std::vector<std::string>& headers) override {
    return Take({"POST", url, std::string(body), headers});
  }
  const HttpTraffic& traffic() const override { return traffic_; }

  const std::vector<Exchange>& exchanges() const { return exchanges_; }
  bool script_done() const { return steps_.empty(); }

 private:
  HttpsResponse Take(Exchange exchange) {
    exchanges_.push_back(exchange);
    ++traffic_.requests;
    if (steps_.empty()) FAIL("no reply scripted for " << exchange.method << " " << exchange.url);
    Answer step = std::move(steps_.front());
    steps_.pop_front();
    return step(exchange);
  }

  std::deque<Answer> steps_;
  std::vector<Exchange> exchanges_;
  HttpTraffic traffic_;
};

// A 200 with the protocol's JSON body.
inline HttpsResponse Ok(std::string body) { return {200, std::move(body), "application/json", -1}; }

// A refusal with the protocol's error object.
inline HttpsResponse Refusal(long status, const std::string& code, const std::string& message,
                             std::optional<std::uint64_t> resume_from = std::nullopt,
                             long retry_after = -1) {
  return {status, protocol::Encode(protocol::ErrorReply{code, message, resume_from}),
          "application/json", retry_after};
}

// The scripted server's signing key.
inline const signing::SigningKey& ServerKey() {
  static const signing::SigningKey key = signing::SigningKey::Generate();
  return key;
}

// The receipt a server signing with `key` gives for `batch`.
inline protocol::Receipt ReceiptFor(const protocol::PushBatch& batch, std::uint64_t acknowledged,
                                    const signing::SigningKey& key = ServerKey()) {
  protocol::Receipt r{batch.practice,
                      batch.from_seq,
                      batch.to_seq,
                      acknowledged,
                      protocol::BatchSha256(batch),
                      1'790'000'000'000,
                      key.PublicKeyHex(),
                      ""};
  r.signature = key.Sign(protocol::ReceiptText(r));
  return r;
}

// The server's acknowledgement of everything the request carried, with its receipt.
inline HttpsResponse AcknowledgeAll(const Exchange& e) {
  protocol::PushBatch batch = e.Batch();
  return Ok(protocol::Encode(protocol::PushReply{
      batch.to_seq, batch.to_seq - batch.from_seq + 1, {}, ReceiptFor(batch, batch.to_seq)}));
}

}  // namespace tributary::agent::testing
