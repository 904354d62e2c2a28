// Fuzz target: one CSV importer (the dataset is chosen at build time by
// TRIBUTARY_FUZZ_DATASET, one fuzzer per importer) on untrusted file content.
//
// Properties beyond "no crash, no leak, no undefined behaviour": a refused
// file names a line and a column for every problem; an accepted file yields
// only records the server's own wire validation accepts, all for the agent's
// practice, each month at most once — so nothing the importer lets through
// is refused later, and nothing is half-imported.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "importer/csv_importer.h"
#include "local_person_keys.h"
#include "tributary/common/dataset.h"

using namespace tributary;

namespace {

const DatasetDecl& Dataset() { return *datasets::Find(TRIBUTARY_FUZZ_DATASET); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  agent::ImportSettings settings;
  settings.practice = "T01100";
  static testing::LocalPersonKeys person_keys;
  settings.person_keys = &person_keys;
  settings.max_problems = 20;
  const DatasetDecl& dataset = Dataset();
  // Both ways an importer is reached: named (--dataset) and detected from the header.
  for (const DatasetDecl* wanted : {&dataset, static_cast<const DatasetDecl*>(nullptr)}) {
    agent::ParsedImport parsed = agent::ParseImport(content, wanted, settings);
    if (!parsed.problems.empty()) {
      FUZZ_CHECK(parsed.problems.size() <= settings.max_problems);
      for (const auto& problem : parsed.problems) {
        FUZZ_CHECK(problem.line >= 1);
        FUZZ_CHECK(!problem.column.empty());
        FUZZ_CHECK(!problem.reason.empty());
      }
      continue;
    }
    FUZZ_CHECK(parsed.dataset != nullptr);
    FUZZ_CHECK(parsed.problems_not_listed == 0);
    std::set<std::string> months;
    for (const auto& period : parsed.periods) {
      FUZZ_CHECK(months.insert(period.period).second);
      for (const FieldMap& record : period.records) {
        FUZZ_CHECK(ValidateWireRecord(*parsed.dataset, record).empty());
        FUZZ_CHECK(RecordPeriod(*parsed.dataset, record) == period.period);
        FUZZ_CHECK(KeyPractice(*parsed.dataset, RecordKey(*parsed.dataset, record)) ==
                   settings.practice);
      }
    }
  }
  return 0;
}
