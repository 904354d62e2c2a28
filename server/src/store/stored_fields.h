// Records are stored as canonical JSON objects of strings (CanonicalJson).
// This reads one back; the text is the server's own, so anything else is a
// broken store and throws.
#pragma once

#include <string_view>

#include "tributary/common/dataset.h"

namespace tributary::server {

FieldMap StoredFields(std::string_view json);

}  // namespace tributary::server
