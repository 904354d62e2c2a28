// A reporting month as the ICS closes and publishes it. Its states and the
// only moves between them:
//
//             close
//    ┌──────┐ ─────▶ ┌────────┐ ──┐
//    │ open │        │ closed │   │ publish: a new immutable version N+1
//    └──────┘ ◀───── └────────┘ ◀─┘ (periods/published_versions.h)
//             reopen
//
// open    practices' changes to the month are applied (returns/return_state.h).
// closed  a practice's change to the month is kept but not applied: it is
//         quarantined as `period_closed`, visible to the practice and its PCN
//         manager. Central corrections and conflict resolutions still apply
//         and move the returns' revisions; PCN managers still query and
//         approve.
// A month nobody has closed is open. Publishing needs a closed month, so a
// published version is never overtaken by a practice's late change before
// anyone has looked at it; reopening keeps every published version.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tributary::server {

enum class PeriodState { kOpen, kClosed };
enum class PeriodAction { kClose, kReopen };

std::string_view PeriodStateName(PeriodState state);
std::optional<PeriodState> ParsePeriodState(std::string_view name);
// A state as the store keeps it: anything else is damage, Error(kCorruption)
// naming `where` ("the month 2026-08 of QT1").
PeriodState StoredPeriodState(std::string_view name, const std::string& where);
std::string_view PeriodActionName(PeriodAction action);

// The state `action` leads to from `from`, or nullopt when the move is illegal.
std::optional<PeriodState> NextPeriodState(PeriodState from, PeriodAction action);

}  // namespace tributary::server
