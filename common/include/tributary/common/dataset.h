// The datasets Tributary carries, each declared once. The declaration drives
// CSV import (column names), validation (types, code lists, ranges), storage
// and the wire (field names, record keys, which fields stay at the practice).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/common/code_lists.h"

namespace tributary {

enum class FieldType {
  kText,          // free text
  kCode,          // one value of `codes`
  kDate,          // ISO or NHS-style date; stored as ISO
  kPeriod,        // "YYYY-MM"
  kDecimal,       // a non-negative decimal number within [min, max]
  kCount,         // a non-negative integer within [min, max]
  kPracticeCode,  // ODS practice code
  kOrgCode,       // any ODS organisation code
  kPersonKey,     // 64 lower-case hex characters (HMAC-SHA-256)
};

struct FieldDecl {
  std::string_view name;    // wire and storage name
  std::string_view column;  // CSV column; empty when derived at import
  FieldType type = FieldType::kText;
  const CodeList* codes = nullptr;
  bool required = true;
  bool key = false;         // part of the record's identity
  bool local_only = false;  // identifies a person: never leaves the practice
  double min = 0;
  double max = 0;               // 0: no upper bound
  std::string_view unit;        // "" when none: "hours per week", "FTE", "appointments"
  std::string_view definition;  // a sentence, for the data dictionary
};

struct DatasetDecl {
  std::string_view name;
  int version = 1;
  std::vector<FieldDecl> fields;
  std::string_view practice_field;  // the field naming the practice
  std::string_view period_field;    // the field placing a record in a month (a date or period)

  const FieldDecl* Find(std::string_view field_name) const;
  const FieldDecl* FindColumn(std::string_view column) const;
  // The CSV header columns, in declaration order.
  std::vector<std::string_view> Columns() const;
};

namespace datasets {
const DatasetDecl& Workforce();
const DatasetDecl& Appointments();
const DatasetDecl& ListSize();
// The datasets a practice collects, imports, returns and the server rolls up.
const std::vector<const DatasetDecl*>& All();
// A practice's statement that its return for one dataset and month is
// complete. It travels as a record through the outbox, so the server sees it
// only after every change made before it (docs/decisions.md).
const DatasetDecl& Submission();
// Any of All() or Submission(); nullptr when no dataset has that name.
const DatasetDecl* Find(std::string_view name);
}  // namespace datasets

// Field values by wire name. Ordered, so encodings are canonical.
using FieldMap = std::map<std::string, std::string, std::less<>>;

struct FieldFinding {
  std::string field;  // wire name or CSV column
  std::string reason;
};

// "field: reason; field: reason", as a refusal is shown and stored.
std::string FindingsText(const std::vector<FieldFinding>& findings);

// Checks one raw value against its declaration. On success returns "" and
// sets `normalised` (dates to ISO, decimals without trailing zeros); on
// failure returns the reason. An empty value is valid only when not required.
std::string CheckField(const FieldDecl& field, std::string_view raw, std::string& normalised);

// Validates a record as it travels on the wire: every field that is not
// local_only is present and valid, nothing unknown or local_only is present,
// and the record's date lies in its period.
std::vector<FieldFinding> ValidateWireRecord(const DatasetDecl& dataset, const FieldMap& fields);

// The record's identity within its dataset: key field values joined by '|'.
std::string RecordKey(const DatasetDecl& dataset, const FieldMap& fields);

// The practice a record key names (the key holds the practice field), or ""
// if the key does not have the dataset's shape.
std::string KeyPractice(const DatasetDecl& dataset, std::string_view key);

// The reporting month a record key names (the key holds the dataset's
// period field), "YYYY-MM", or "" if the key does not have the dataset's
// shape. Cheaper than parsing the record for RecordPeriod.
std::string KeyPeriod(const DatasetDecl& dataset, std::string_view key);

// The reporting month of a (valid) record, "YYYY-MM".
std::string RecordPeriod(const DatasetDecl& dataset, const FieldMap& fields);

// Canonical JSON object text of the fields (sorted keys, minimal escaping),
// so that two equal records have byte-equal encodings.
std::string CanonicalJson(const FieldMap& fields);
// Reads back what CanonicalJson wrote: a JSON object of strings. Anything
// else is damage to a store that keeps it, and throws Error(kCorruption)
// naming what was found. Not for untrusted input (the protocol codec is).
FieldMap ParseCanonicalJson(std::string_view json);

// `text` as a JSON string literal, quoted and escaped (RFC 8259).
std::string JsonString(std::string_view text);

// Full-time equivalent of weekly contracted hours (NWRS: 37.5 hours = 1.0),
// formatted like a normalised decimal.
std::string FteFromHours(double hours);

}  // namespace tributary
