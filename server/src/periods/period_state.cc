#include "periods/period_state.h"

#include <iterator>

namespace tributary::server {
namespace {

struct Move {
  PeriodState from;
  PeriodAction action;
  PeriodState to;
};

// The diagram in period_state.h, as data.
constexpr Move kMoves[] = {
    {PeriodState::kOpen, PeriodAction::kClose, PeriodState::kClosed},
    {PeriodState::kClosed, PeriodAction::kReopen, PeriodState::kOpen},
};

// Indexed by the enums' values.
constexpr std::string_view kStateNames[] = {"open", "closed"};
constexpr std::string_view kActionNames[] = {"close", "reopen"};

}  // namespace

std::string_view PeriodStateName(PeriodState state) { return kStateNames[static_cast<int>(state)]; }

std::optional<PeriodState> ParsePeriodState(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kStateNames); ++i) {
    if (kStateNames[i] == name) return static_cast<PeriodState>(i);
  }
  return std::nullopt;
}

std::string_view PeriodActionName(PeriodAction action) {
  return kActionNames[static_cast<int>(action)];
}

std::optional<PeriodState> NextPeriodState(PeriodState from, PeriodAction action) {
  for (const Move& m : kMoves) {
    if (m.from == from && m.action == action) return m.to;
  }
  return std::nullopt;
}

}  // namespace tributary::server
