// The stored form of a practice-month's rollup totals. Every rollup read
// decodes its practices' totals (about 150 for an ICS), so the form is made
// to be read: people as their 32 raw bytes, already sorted; no text to parse.
// Equal totals encode to equal bytes, so `rollups verify` compares bytes.
//
// Grammar (docs/rollups.md, "Stored totals"):
//   totals    = version:u8 (= 1)
//               practices (workforce) practices (appointments)
//               cells (workforce) cells (arrs) cells (appointments)
//               f64 gp_fte_with_list  f64 list_for_gp  varint practices_gp_rate
//               f64 appointments_with_list  f64 list_for_appointments
//               varint practices_appointment_rate
//   practices = varint count, count * text             (sorted, each once)
//   cells     = varint count, count * cell             (in RollupDims order)
//   cell      = 6 * text (dims)  f64 sum  varint n, n * 32 bytes (people: sorted, each once)
//   text      = varint length, length bytes
//   varint    = unsigned LEB128 in its shortest form, at most 2^63 - 1
//   f64       = IEEE 754 binary64, little-endian
#pragma once

#include <string>
#include <string_view>

#include "rollup/rollup_totals.h"

namespace tributary::server {

// `totals` as PracticeTotals makes them or DecodeRollupTotals reads them:
// each cell's people united (not after RollupTotals::Merge).
std::string EncodeRollupTotals(const RollupTotals& totals);

// Throws Error(kCorruption) naming the byte offset on bytes that are not what
// EncodeRollupTotals writes (truncated, an unknown version, bytes left over,
// people out of order).
RollupTotals DecodeRollupTotals(std::string_view bytes);

}  // namespace tributary::server
