// A return is one practice's data for one dataset and month, as a PCN
// manager reconciles it. Its states and the only moves between them:
//
//                 submit                approve               lock
//      ┌──────┐ ────────▶ ┌───────────┐ ────────▶ ┌──────────┐ ─────▶ ┌────────┐
//      │ open │           │ submitted │           │ approved │        │ locked │
//      └──────┘           └───────────┘           └──────────┘        └────────┘
//         ▲                 │   ▲   ▲                 │   │
//         │           query │   │   │ review          │   │
//         │                 ▼   │   └─────────────────┘   │
//         │               ┌─────────┐  submit, review     │
//         │               │ queried │                     │
//         │               └─────────┘                     │
//         └───────────────────────────────────────────────┘
//                          reopen
//
// Beside the state, every return has a revision: 0 until its records first
// change, then one more for every transaction that changes them (a push
// batch, a central correction, a conflict's resolution), whatever the state.
// A submitted or queried return stays in its state at the new revision; an
// approved one moves:
//   reopen  approved → open       the month is open: the practice submits again
//   review  approved → submitted  the month is closed (only a central change
//           queried  → submitted  can reach it there, and the practice can no
//                                 longer answer): back to the PCN manager
// A person approves or queries the revision they saw (ReturnService::Act, RequireRevision).
// A locked return takes no more changes from anyone.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tributary::server {

enum class ReturnState { kOpen, kSubmitted, kQueried, kApproved, kLocked };
enum class ReturnAction { kSubmit, kQuery, kApprove, kLock, kReopen, kReview };

std::string_view ReturnStateName(ReturnState state);
std::optional<ReturnState> ParseReturnState(std::string_view name);
// A state as the store keeps it: anything else is damage, Error(kCorruption)
// naming `where` ("the T01100/workforce/2026-08 return").
ReturnState StoredReturnState(std::string_view name, const std::string& where);
std::string_view ReturnActionName(ReturnAction action);

// The state `action` leads to from `from`, or nullopt when the move is illegal.
std::optional<ReturnState> NextState(ReturnState from, ReturnAction action);

}  // namespace tributary::server
