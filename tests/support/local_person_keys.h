// Person keys made as the server makes them, in the test's own process: the
// real OPRF round (blind here, evaluate with an OPRF key, unblind and
// finalize) for tests of what consumes keys (the importer, the sample ICS),
// where a server would only add a network hop. Counts what it was asked.
#pragma once

#include <string>
#include <vector>

#include "importer/person_keyer.h"
#include "tributary/common/oprf.h"

namespace tributary::testing {

class LocalPersonKeys final : public agent::PersonKeyer {
 public:
  // A fixed key: the same person gets the same key in every test run.
  LocalPersonKeys()
      : key_(oprf::Key::FromHex(
            "5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e")) {}
  explicit LocalPersonKeys(oprf::Key key) : key_(std::move(key)) {}

  std::vector<std::string> KeysFor(const std::vector<std::string>& identities) override {
    ++requests;
    std::vector<std::string> keys;
    for (const std::string& identity : identities) {
      oprf::BlindedInput blinded = oprf::Blind(identity);
      oprf::Output output =
          oprf::Finalize(identity, blinded.blind, oprf::BlindEvaluate(key_, blinded.element));
      keys.push_back(oprf::ToHex(output.data(), 32));
      ++evaluated;
    }
    return keys;
  }

  int requests = 0;
  std::size_t evaluated = 0;

 private:
  oprf::Key key_;
};

}  // namespace tributary::testing
