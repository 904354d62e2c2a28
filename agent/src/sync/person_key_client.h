// Person keys made with the server (POST /v1/person-keys): each identity is
// blinded here (RFC 9497's OPRF, ristretto255-SHA512), evaluated by the
// server with its OPRF key, and unblinded here into the key. The server
// never sees an identity; the blinds never leave this process.
//
// A person key is the first 32 bytes of the OPRF output, in hex.
#pragma once

#include <string>
#include <vector>

#include "importer/person_keyer.h"
#include "sync/transport.h"

namespace tributary::agent {

class PersonKeyClient final : public PersonKeyer {
 public:
  // `transport` (with the agent's certificate) must outlive the client.
  PersonKeyClient(Transport& transport, std::string server_url)
      : transport_(transport), server_url_(std::move(server_url)) {}

  // Asks in requests of at most protocol::kMaxPersonKeysPerRequest. Throws
  // as sync/server_refusal.h maps the server's refusals (kUnavailable for a
  // spent allowance, with its Retry-After), Error(kNetwork) when the server
  // cannot be reached, Error(kProtocol) for an answer it cannot use.
  std::vector<std::string> KeysFor(const std::vector<std::string>& identities) override;

 private:
  Transport& transport_;
  std::string server_url_;
};

}  // namespace tributary::agent
