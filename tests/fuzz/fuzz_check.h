// What a fuzz target does when a property it checks does not hold: print the
// property and abort, so libFuzzer (and the corpus replay test) report the
// input as a crash. An ordinary assert would vanish in release builds.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                               \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                         \
    }                                                                                       \
  } while (false)
