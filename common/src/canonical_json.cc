#include <boost/json.hpp>

#include "tributary/common/dataset.h"
#include "tributary/common/error.h"

namespace tributary {

FieldMap ParseCanonicalJson(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(json, ec);
  if (ec || !parsed.is_object()) {
    throw Error::Corruption("a stored record is not a JSON object: " +
                            std::string(json.substr(0, 80)));
  }
  FieldMap fields;
  for (const auto& [name, value] : parsed.as_object()) {
    if (!value.is_string()) {
      throw Error::Corruption("a stored record's field '" + std::string(name) +
                              "' is not a string");
    }
    fields.emplace(std::string(name), std::string(value.as_string()));
  }
  return fields;
}

}  // namespace tributary
