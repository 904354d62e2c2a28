#include "returns/return_state.h"

#include "tributary/common/enum_names.h"

namespace tributary::server {
namespace {

using enum ReturnState;
using enum ReturnAction;

// The diagram in return_state.h, as data.
constexpr std::array<Move<ReturnState, ReturnAction>, 8> kMoves{{
    {kOpen, kSubmit, kSubmitted},
    {kQueried, kSubmit, kSubmitted},
    {kSubmitted, kQuery, kQueried},
    {kSubmitted, kApprove, kApproved},
    {kApproved, kLock, kLocked},
    {kApproved, kReopen, kOpen},
    {kApproved, kReview, kSubmitted},
    {kQueried, kReview, kSubmitted},
}};

constexpr EnumNames<ReturnState, 5> kStates{{{kOpen, "open"},
                                             {kSubmitted, "submitted"},
                                             {kQueried, "queried"},
                                             {kApproved, "approved"},
                                             {kLocked, "locked"}}};

constexpr EnumNames<ReturnAction, 6> kActions{{{kSubmit, "submit"},
                                               {kQuery, "query"},
                                               {kApprove, "approve"},
                                               {kLock, "lock"},
                                               {kReopen, "reopen"},
                                               {kReview, "review"}}};

}  // namespace

std::string_view ReturnStateName(ReturnState state) { return NameOf(kStates, state); }

std::optional<ReturnState> ParseReturnState(std::string_view name) {
  return ValueOf(kStates, name);
}

ReturnState StoredReturnState(std::string_view name, const std::string& where) {
  return StoredValueOf(kStates, name, "return state", where);
}

std::string_view ReturnActionName(ReturnAction action) { return NameOf(kActions, action); }

std::optional<ReturnState> NextState(ReturnState from, ReturnAction action) {
  return NextOf(kMoves, from, action);
}

}  // namespace tributary::server
