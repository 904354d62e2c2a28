// Every measure a rollup gives, declared once with what the data dictionary
// (docs/data-dictionary.md, GET /v1/dictionary) says of it. The rollup engine
// (rollup/rollup_engine.cc) computes them; a test on the sample ICS requires
// the engine to give exactly these.
#pragma once

#include <string_view>
#include <vector>

namespace tributary::server {

struct MeasureDecl {
  std::string_view dataset;  // workforce, appointments, coverage
  std::string_view name;     // the rollup row's `measure`
  std::string_view unit;
  std::string_view breakdowns;  // which breakdowns it comes in
  std::string_view definition;
};

const std::vector<MeasureDecl>& Measures();

}  // namespace tributary::server
