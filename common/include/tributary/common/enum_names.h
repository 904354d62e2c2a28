// The stable names of an enum's values (in the store, on the wire, at the
// command line), kept in one table per enum so that a value and its name
// never disagree, and the moves of a state machine kept as data the same way.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "tributary/common/error.h"

namespace tributary {

template <typename Enum>
struct EnumName {
  Enum value;
  std::string_view name;
};

template <typename Enum, std::size_t N>
using EnumNames = std::array<EnumName<Enum>, N>;

// The name of `value`; "" for a value the table does not hold.
template <typename Enum, std::size_t N>
constexpr std::string_view NameOf(const EnumNames<Enum, N>& names, Enum value) {
  for (const auto& entry : names) {
    if (entry.value == value) return entry.name;
  }
  return {};
}

// The value named `name`, or nullopt.
template <typename Enum, std::size_t N>
constexpr std::optional<Enum> ValueOf(const EnumNames<Enum, N>& names, std::string_view name) {
  for (const auto& entry : names) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

// The value named `name` as the program itself stored it: anything else is
// damage, Error(kCorruption) "WHERE has an unreadable WHAT 'NAME'".
template <typename Enum, std::size_t N>
Enum StoredValueOf(const EnumNames<Enum, N>& names, std::string_view name, std::string_view what,
                   const std::string& where) {
  std::optional<Enum> value = ValueOf(names, name);
  if (!value) {
    throw Error::Corruption(where + " has an unreadable " + std::string(what) + " '" +
                            std::string(name) + "' in the store");
  }
  return *value;
}

// Every name, joined with ", ", for messages.
template <typename Enum, std::size_t N>
std::string NamesOf(const EnumNames<Enum, N>& names) {
  std::string out;
  for (const auto& entry : names) out += (out.empty() ? "" : ", ") + std::string(entry.name);
  return out;
}

// One legal move of a state machine.
template <typename State, typename Action>
struct Move {
  State from;
  Action action;
  State to;
};

// The state `action` leads to from `from`, or nullopt when no move allows it.
template <typename State, typename Action, std::size_t N>
constexpr std::optional<State> NextOf(const std::array<Move<State, Action>, N>& moves, State from,
                                      Action action) {
  for (const auto& m : moves) {
    if (m.from == from && m.action == action) return m.to;
  }
  return std::nullopt;
}

}  // namespace tributary
