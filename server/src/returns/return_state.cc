#include "returns/return_state.h"

#include <iterator>

namespace tributary::server {
namespace {

struct Move {
  ReturnState from;
  ReturnAction action;
  ReturnState to;
};

// The diagram in return_state.h, as data.
constexpr Move kMoves[] = {
    {ReturnState::kOpen, ReturnAction::kSubmit, ReturnState::kSubmitted},
    {ReturnState::kQueried, ReturnAction::kSubmit, ReturnState::kSubmitted},
    {ReturnState::kSubmitted, ReturnAction::kQuery, ReturnState::kQueried},
    {ReturnState::kSubmitted, ReturnAction::kApprove, ReturnState::kApproved},
    {ReturnState::kApproved, ReturnAction::kLock, ReturnState::kLocked},
    {ReturnState::kApproved, ReturnAction::kReopen, ReturnState::kOpen},
    {ReturnState::kApproved, ReturnAction::kReview, ReturnState::kSubmitted},
    {ReturnState::kQueried, ReturnAction::kReview, ReturnState::kSubmitted},
};

// Indexed by the enums' values.
constexpr std::string_view kStateNames[] = {"open", "submitted", "queried", "approved", "locked"};
constexpr std::string_view kActionNames[] = {"submit", "query",  "approve",
                                             "lock",   "reopen", "review"};

}  // namespace

std::string_view ReturnStateName(ReturnState state) { return kStateNames[static_cast<int>(state)]; }

std::optional<ReturnState> ParseReturnState(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kStateNames); ++i) {
    if (kStateNames[i] == name) return static_cast<ReturnState>(i);
  }
  return std::nullopt;
}

std::string_view ReturnActionName(ReturnAction action) {
  return kActionNames[static_cast<int>(action)];
}

std::optional<ReturnState> NextState(ReturnState from, ReturnAction action) {
  for (const Move& m : kMoves) {
    if (m.from == from && m.action == action) return m.to;
  }
  return std::nullopt;
}

}  // namespace tributary::server
