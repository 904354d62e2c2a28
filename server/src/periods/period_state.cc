#include "periods/period_state.h"

#include "tributary/common/enum_names.h"

namespace tributary::server {
namespace {

using enum PeriodState;
using enum PeriodAction;

// The diagram in period_state.h, as data.
constexpr std::array<Move<PeriodState, PeriodAction>, 2> kMoves{{
    {kOpen, kClose, kClosed},
    {kClosed, kReopen, kOpen},
}};

constexpr EnumNames<PeriodState, 2> kStates{{{kOpen, "open"}, {kClosed, "closed"}}};
constexpr EnumNames<PeriodAction, 2> kActions{{{kClose, "close"}, {kReopen, "reopen"}}};

}  // namespace

std::string_view PeriodStateName(PeriodState state) { return NameOf(kStates, state); }

std::optional<PeriodState> ParsePeriodState(std::string_view name) {
  return ValueOf(kStates, name);
}

PeriodState StoredPeriodState(std::string_view name, const std::string& where) {
  return StoredValueOf(kStates, name, "month state", where);
}

std::string_view PeriodActionName(PeriodAction action) { return NameOf(kActions, action); }

std::optional<PeriodState> NextPeriodState(PeriodState from, PeriodAction action) {
  return NextOf(kMoves, from, action);
}

}  // namespace tributary::server
