// The rules engine both sides run on every record, beyond each field's own
// format (CheckField): the agent on import and manual entry, so a practice
// hears at once; the server on ingest, authoritatively. Each rule has a
// stable id, shown with its reason.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tributary/common/dataset.h"

namespace tributary {

struct RuleViolation {
  std::string rule;    // stable id, e.g. "workforce.fte_derived"
  std::string field;   // the wire field at fault
  std::string reason;  // a sentence for a person
};

// Checks a wire record whose fields have each passed CheckField.
std::vector<RuleViolation> CheckRecordRules(const DatasetDecl& dataset, const FieldMap& fields);

// Every rule id with a one-line description, for documentation and tests.
struct RuleDescription {
  std::string_view id;
  std::string_view description;
};
const std::vector<RuleDescription>& RecordRules();

}  // namespace tributary
