// Every benchmark's command line: whole-number options (`--agents 20`, each
// at least 1) and text ones (`--peer PATH`), and --help. Anything else exits
// with the usage and status 2: a benchmark that ignored a mistyped flag
// would report figures for another run than the one asked for.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

namespace tributary::bench {

struct NumberOption {
  const char* flag;
  int* value;
};

struct TextOption {
  const char* flag;
  std::string* value;
};

inline void ParseOptions(int argc, char** argv, const char* usage,
                         const std::vector<NumberOption>& numbers,
                         const std::vector<TextOption>& texts = {}) {
  auto fail = [usage](const std::string& why) {
    std::fprintf(stderr, "%s\n%s", why.c_str(), usage);
    std::exit(2);
  };
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(usage, stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) fail(flag + " needs a value");
    bool known = false;
    for (const TextOption& t : texts) {
      if (flag == t.flag) {
        *t.value = argv[i + 1];
        known = true;
      }
    }
    for (const NumberOption& n : numbers) {
      if (flag != n.flag) continue;
      known = true;
      try {
        std::size_t used = 0;
        *n.value = std::stoi(argv[i + 1], &used);
        if (argv[i + 1][used] != '\0') *n.value = 0;
      } catch (const std::exception&) {
        *n.value = 0;
      }
      if (*n.value <= 0) fail(flag + " needs a whole number of at least 1");
    }
    if (!known) fail("unknown option " + flag);
  }
}

}  // namespace tributary::bench
