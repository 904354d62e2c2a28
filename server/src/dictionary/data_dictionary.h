// The data dictionary (docs/data-dictionary.md, GET /v1/dictionary,
// `tributary-server dictionary`): every dataset field, rollup column and
// measure, export column and code list, with type, unit, code list and
// definition — generated from the declarations the code itself runs on
// (common/src/dataset.cc, common/src/code_lists.cc, rollup/measures.h,
// export/*_export.h), so it cannot say other than the program does.
// Thread-safe: everything it reads is constant.
#pragma once

#include <boost/json.hpp>
#include <string>

namespace tributary::server {

// {"datasets": [{name, fields: [...]}], "rollups": {columns, measures},
//  "exports": [{route, columns}], "code_lists": [{name, values}]}
boost::json::object DataDictionaryJson();

// The same as a Markdown document: docs/data-dictionary.md is this text.
std::string DataDictionaryMarkdown();

}  // namespace tributary::server
