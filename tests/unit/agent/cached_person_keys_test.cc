// Person keys asked of the server a request's worth at a time, each
// request's keys remembered as it arrives: a practice with more new people
// than its daily allowance finishes over the days that allowance takes.
#include "importer/cached_person_keys.h"

#include <catch2/catch.hpp>

#include "local_person_keys.h"
#include "temp_dir.h"
#include "tributary/common/error.h"
#include "tributary/protocol/messages.h"

using namespace tributary;
using namespace tributary::agent;

namespace {

// The server as a practice meets it: keys made for `allowance` requests,
// then each further request refused as a spent allowance is.
class AllowanceServer final : public PersonKeyer {
 public:
  explicit AllowanceServer(int allowance) : allowance_(allowance) {}

  std::vector<std::string> KeysFor(const std::vector<std::string>& identities) override {
    asked.push_back(identities.size());
    if (static_cast<int>(asked.size()) > allowance_) {
      throw Error::Unavailable("server busy: allowance spent", std::chrono::seconds(3600));
    }
    return keys_.KeysFor(identities);
  }

  void Allow(int more) { allowance_ += more; }
  std::vector<std::size_t> asked;  // each request's size

 private:
  int allowance_;
  testing::LocalPersonKeys keys_;
};

std::vector<std::string> People(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back("GMC:" + std::to_string(7000000 + i));
  return out;
}

}  // namespace

TEST_CASE("person keys: each request's keys are kept when a later request is refused") {
  testing::TempDir dir;
  FakeClock clock(1'790'000'000'000);
  LocalStore store(dir.path() / "agent.db", clock);
  const std::size_t per_request = protocol::kMaxPersonKeysPerRequest;
  std::vector<std::string> people = People(per_request * 2 + 7);
  AllowanceServer server(1);
  CachedPersonKeys cached(store, &server);

  CHECK_THROWS_MATCHES(cached.KeysFor(people), Error,
                       Catch::Matchers::Predicate<Error>(
                           [](const Error& e) { return e.code() == ErrorCode::kUnavailable; }));
  CHECK(server.asked == std::vector<std::size_t>{per_request, per_request});
  CHECK(store.KnownPersonKeys(people).size() == per_request);

  // The next day: only the people still without a key are asked for.
  server.Allow(2);
  server.asked.clear();
  std::vector<std::string> keys = cached.KeysFor(people);
  CHECK(server.asked == std::vector<std::size_t>{per_request, 7});
  REQUIRE(keys.size() == people.size());
  testing::LocalPersonKeys reference;
  CHECK(keys == reference.KeysFor(people));  // the same keys as asked in one go
  server.asked.clear();
  CHECK(cached.KeysFor(people) == keys);
  CHECK(server.asked.empty());  // all known now: no request
}

TEST_CASE("person keys: an answer of the wrong length is refused and nothing is remembered") {
  testing::TempDir dir;
  FakeClock clock(1'790'000'000'000);
  LocalStore store(dir.path() / "agent.db", clock);
  struct ShortServer final : PersonKeyer {
    std::vector<std::string> KeysFor(const std::vector<std::string>& identities) override {
      return std::vector<std::string>(identities.size() - 1, std::string(64, 'a'));
    }
  } server;
  CachedPersonKeys cached(store, &server);
  std::vector<std::string> people = People(3);
  CHECK_THROWS_MATCHES(cached.KeysFor(people), Error,
                       Catch::Matchers::Predicate<Error>(
                           [](const Error& e) { return e.code() == ErrorCode::kProtocol; }));
  CHECK(store.KnownPersonKeys(people).empty());
}
