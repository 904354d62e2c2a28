// Completes a workforce record whose fields have each passed CheckField: the
// person key and FTE are derived at the practice, and the identifying fields
// (names, registration, the practice's and employer's staff ids) move out of
// the record into the Person that stays in the local store
// (docs/design.md invariant 7). Shared by CSV import and manual entry, so both produce the
// same record for the same person.
#pragma once

#include <optional>
#include <string>

#include "importer/person_keyer.h"
#include "store/local_store.h"
#include "tributary/common/dataset.h"

namespace tributary::agent {

struct RecordProblem {
  std::string column;  // the CSV column the problem is in
  std::string reason;
};

// The identifiers of a checked workforce row (its local-only fields).
PersonIdentifiers IdentifiersOf(const FieldMap& row);

// The row's identity (person_keyer.h), or the problem saying why it has none.
std::optional<std::string> IdentityOf(const FieldMap& row, RecordProblem& problem);

// `person_key` is the key of the row's identity. On success `row` holds the
// wire record and `person` the local details.
std::optional<RecordProblem> CompleteWorkforceRecord(FieldMap& row, const std::string& person_key,
                                                     Person& person);

}  // namespace tributary::agent
