// tributary-server dictionary [--format markdown|json]: the data dictionary
// (dictionary/data_dictionary.h) on standard output. docs/data-dictionary.md
// is its Markdown.
#include <cstdio>

#include "cli/server_commands.h"
#include "dictionary/data_dictionary.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/error.h"

namespace tributary::server {

int RunDictionary(const Arguments& args) {
  args.AllowOnly({"format", "config", "data-dir"});
  std::string format = args.Get("format").value_or("markdown");
  std::string text;
  if (format == "markdown") {
    text = DataDictionaryMarkdown();
  } else if (format == "json") {
    text = boost::json::serialize(DataDictionaryJson()) + "\n";
  } else {
    throw Error::InvalidArgument("--format must be markdown or json, not '" + format + "'");
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitOk;
}

}  // namespace tributary::server
