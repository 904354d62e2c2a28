// A return is one practice's data for one dataset and month, as a PCN
// manager reconciles it. Its states and the only moves between them:
//
//                 submit                approve               lock
//      ┌──────┐ ────────▶ ┌───────────┐ ────────▶ ┌──────────┐ ─────▶ ┌────────┐
//      │ open │           │ submitted │           │ approved │        │ locked │
//      └──────┘           └───────────┘           └──────────┘        └────────┘
//         ▲                 │       ▲                   │
//         │           query │       │ submit            │ reopen: a change after
//         │                 ▼       │                   │ approval starts a new
//         │               ┌─────────┐                   │ revision
//         │               │ queried │                   │
//         │               └─────────┘                   │
//         └─────────────────────────────────────────────┘
//
// Anything else is refused. A locked return takes no more changes.
#pragma once

#include <optional>
#include <string_view>

namespace tributary::server {

enum class ReturnState { kOpen, kSubmitted, kQueried, kApproved, kLocked };
enum class ReturnAction { kSubmit, kQuery, kApprove, kLock, kReopen };

std::string_view ReturnStateName(ReturnState state);
std::optional<ReturnState> ParseReturnState(std::string_view name);
std::string_view ReturnActionName(ReturnAction action);

// The state `action` leads to from `from`, or nullopt when the move is illegal.
std::optional<ReturnState> NextState(ReturnState from, ReturnAction action);

}  // namespace tributary::server
