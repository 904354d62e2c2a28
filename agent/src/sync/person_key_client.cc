#include "sync/person_key_client.h"

#include <algorithm>

#include "sync/server_refusal.h"
#include "tributary/common/error.h"
#include "tributary/common/oprf.h"
#include "tributary/protocol/codec.h"

namespace tributary::agent {

std::vector<std::string> PersonKeyClient::KeysFor(const std::vector<std::string>& identities) {
  std::vector<std::string> keys;
  keys.reserve(identities.size());
  for (std::size_t first = 0; first < identities.size();
       first += protocol::kMaxPersonKeysPerRequest) {
    std::size_t last = std::min(identities.size(), first + protocol::kMaxPersonKeysPerRequest);
    std::vector<oprf::BlindedInput> blinded;
    protocol::PersonKeyRequest request;
    for (std::size_t i = first; i < last; ++i) {
      blinded.push_back(oprf::Blind(identities[i]));
      request.blinded.push_back(oprf::ToHex(blinded.back().element));
    }
    HttpsResponse response =
        transport_.Post(server_url_ + "/v1/person-keys", protocol::Encode(request),
                        {"Content-Type: application/json"});
    if (response.status != 200) ThrowServerRefusal(response, "person keys");
    auto reply = protocol::DecodePersonKeyReply(response.body);
    if (!reply.ok()) {
      throw Error::Protocol("the server's person keys cannot be read: " + reply.error().field +
                            ": " + reply.error().message);
    }
    if (reply.value().evaluated.size() != blinded.size()) {
      throw Error::Protocol("the server evaluated " +
                            std::to_string(reply.value().evaluated.size()) + " person keys of " +
                            std::to_string(blinded.size()));
    }
    for (std::size_t i = 0; i < blinded.size(); ++i) {
      oprf::Output output;
      try {
        output = oprf::Finalize(identities[first + i], blinded[i].blind,
                                oprf::ElementFromHex(reply.value().evaluated[i]));
      } catch (const Error& e) {
        throw Error::Protocol(std::string("the server's person key cannot be used: ") + e.what());
      }
      keys.push_back(oprf::ToHex(output.data(), 32));
    }
  }
  return keys;
}

}  // namespace tributary::agent
