#include "store/stored_fields.h"

#include <boost/json.hpp>

namespace tributary::server {

FieldMap StoredFields(std::string_view json) {
  FieldMap fields;
  boost::json::value parsed = boost::json::parse(json);
  for (const auto& [name, value] : parsed.as_object()) {
    fields.emplace(std::string(name), std::string(value.as_string()));
  }
  return fields;
}

}  // namespace tributary::server
