#include "returns/return_state.h"

#include <catch2/catch.hpp>
#include <map>
#include <utility>

#include "periods/period_state.h"

using namespace tributary::server;

TEST_CASE("return states: exactly the moves of the diagram are legal") {
  using enum ReturnState;
  using enum ReturnAction;
  const std::map<std::pair<ReturnState, ReturnAction>, ReturnState> legal = {
      {{kOpen, kSubmit}, kSubmitted},     {{kQueried, kSubmit}, kSubmitted},
      {{kSubmitted, kQuery}, kQueried},   {{kSubmitted, kApprove}, kApproved},
      {{kApproved, kLock}, kLocked},      {{kApproved, kReopen}, kOpen},
      {{kApproved, kReview}, kSubmitted}, {{kQueried, kReview}, kSubmitted}};
  int illegal = 0;
  for (ReturnState from : {kOpen, kSubmitted, kQueried, kApproved, kLocked}) {
    for (ReturnAction action : {kSubmit, kQuery, kApprove, kLock, kReopen, kReview}) {
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
  CHECK(illegal == 30 - 8);
}

TEST_CASE("return states: names round-trip") {
  for (auto state : {ReturnState::kOpen, ReturnState::kSubmitted, ReturnState::kQueried,
                     ReturnState::kApproved, ReturnState::kLocked}) {
    CHECK(ParseReturnState(ReturnStateName(state)) == state);
  }
  CHECK_FALSE(ParseReturnState("closed"));
}

TEST_CASE("month states: exactly the moves of the diagram are legal") {
  CHECK(NextPeriodState(PeriodState::kOpen, PeriodAction::kClose) == PeriodState::kClosed);
  CHECK(NextPeriodState(PeriodState::kClosed, PeriodAction::kReopen) == PeriodState::kOpen);
  CHECK_FALSE(NextPeriodState(PeriodState::kOpen, PeriodAction::kReopen));
  CHECK_FALSE(NextPeriodState(PeriodState::kClosed, PeriodAction::kClose));
  for (auto state : {PeriodState::kOpen, PeriodState::kClosed}) {
    CHECK(ParsePeriodState(PeriodStateName(state)) == state);
  }
  CHECK_FALSE(ParsePeriodState("published"));
}
