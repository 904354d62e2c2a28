#include "returns/return_state.h"

#include <catch2/catch.hpp>

#include <map>
#include <utility>

using namespace tributary::server;

TEST_CASE("return states: exactly the moves of the diagram are legal") {
  using enum ReturnState;
  using enum ReturnAction;
  const std::map<std::pair<ReturnState, ReturnAction>, ReturnState> legal = {
      {{kOpen, kSubmit}, kSubmitted},      {{kQueried, kSubmit}, kSubmitted},
      {{kSubmitted, kQuery}, kQueried},    {{kSubmitted, kApprove}, kApproved},
      {{kApproved, kLock}, kLocked},       {{kApproved, kReopen}, kOpen}};
  int illegal = 0;
  for (ReturnState from : {kOpen, kSubmitted, kQueried, kApproved, kLocked}) {
    for (ReturnAction action : {kSubmit, kQuery, kApprove, kLock, kReopen}) {
      INFO(ReturnStateName(from) << " + " << ReturnActionName(action));
      auto it = legal.find({from, action});
      if (it == legal.end()) {
        CHECK_FALSE(NextState(from, action));
        ++illegal;
      } else {
        CHECK(NextState(from, action) == it->second);
      }
    }
  }
  CHECK(illegal == 25 - 6);
}

TEST_CASE("return states: names round-trip") {
  for (auto state : {ReturnState::kOpen, ReturnState::kSubmitted, ReturnState::kQueried,
                     ReturnState::kApproved, ReturnState::kLocked}) {
    CHECK(ParseReturnState(ReturnStateName(state)) == state);
  }
  CHECK_FALSE(ParseReturnState("closed"));
}
