// tributary-sim: writes a fictional nation's organisation hierarchy and every
// practice's monthly files, deterministically from a seed, at any size up to
// England. Used by the benchmarks (bench/run.sh) and for trying Tributary at scale.
//
//   tributary-sim --out DIR [--practices 6300] [--seed 1] [--months 2026-08,...]
//                 [--appointment-rows 2000]
//
// DIR/orgs.csv and DIR/practices/CODE/{workforce,appointments,list_size}-YYYY-MM.csv,
// the layout of examples/ics-sample.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "nation.h"
#include "practice_files.h"
#include "tributary/common/dates.h"
#include "tributary/common/files.h"

using namespace tributary;

namespace {

constexpr const char* kUsage =
    "usage: tributary-sim --out DIR [--practices N] [--seed S] [--months YYYY-MM[,YYYY-MM...]]\n"
    "                     [--appointment-rows N]\n";

struct Options {
  std::filesystem::path out;
  sim::NationSize size;
  std::uint64_t seed = 1;
  std::vector<std::string> months{"2026-08"};
  sim::MonthShape shape;
};

[[noreturn]] void Usage(const std::string& problem) {
  std::fprintf(stderr, "tributary-sim: %s\n%s", problem.c_str(), kUsage);
  std::exit(2);
}

long Positive(const std::string& flag, const std::string& value) {
  try {
    std::size_t used = 0;
    long n = std::stol(value, &used);
    if (used == value.size() && n > 0) return n;
  } catch (const std::exception&) {
  }
  Usage(flag + " needs a positive whole number, not '" + value + "'");
}

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) Usage("'" + flag + "' needs a value");
    std::string value = argv[i + 1];
    if (flag == "--out") {
      o.out = value;
    } else if (flag == "--practices") {
      o.size.practices = static_cast<int>(Positive(flag, value));
    } else if (flag == "--seed") {
      o.seed = static_cast<std::uint64_t>(Positive(flag, value));
    } else if (flag == "--appointment-rows") {
      o.shape.appointment_rows = static_cast<int>(Positive(flag, value));
    } else if (flag == "--months") {
      o.months.clear();
      std::size_t start = 0;
      while (start <= value.size()) {
        std::size_t comma = std::min(value.find(',', start), value.size());
        std::string month = value.substr(start, comma - start);
        if (!ParsePeriod(month)) Usage("--months: '" + month + "' is not a month (YYYY-MM)");
        o.months.push_back(month);
        start = comma + 1;
      }
    } else {
      Usage("unknown option '" + flag + "'");
    }
  }
  if (o.out.empty()) Usage("--out DIR is required");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = Parse(argc, argv);
  try {
    sim::Nation nation = sim::MakeNation(options.size, options.seed);
    std::string orgs = "ORG_CODE,ORG_NAME,ORG_TYPE,PARENT_CODE,VALID_FROM,VALID_TO\n";
    for (const sim::Org& org : nation.orgs) {
      orgs += org.code + "," + org.name + "," + org.type + "," + org.parent + "," +
              options.months.front() + "-01,\n";
    }
    std::filesystem::create_directories(options.out);
    files::WriteAtomic(options.out / "orgs.csv", orgs);
    std::size_t posts = 0, rows = 0;
    for (const sim::Practice& practice : nation.practices) {
      auto dir = options.out / "practices" / practice.code;
      std::filesystem::create_directories(dir);
      for (const std::string& month : options.months) {
        std::string appointments =
            sim::AppointmentsCsv(practice, month, options.shape, options.seed);
        rows +=
            static_cast<std::size_t>(std::count(appointments.begin(), appointments.end(), '\n')) -
            1;
        files::WriteAtomic(dir / ("appointments-" + month + ".csv"), appointments);
        files::WriteAtomic(dir / ("workforce-" + month + ".csv"),
                           sim::WorkforceCsv(practice, month));
        files::WriteAtomic(dir / ("list_size-" + month + ".csv"),
                           sim::ListSizeCsv(practice, month));
        posts += practice.posts.size();
      }
    }
    std::size_t pcns = 0, icss = 0;
    for (const sim::Org& org : nation.orgs) {
      pcns += org.type == "PCN";
      icss += org.type == "ICS";
    }
    std::printf(
        "wrote %zu practices, %zu PCNs, %zu ICSs; %zu months: %zu workforce rows, %zu "
        "appointment rows, to %s\n",
        nation.practices.size(), pcns, icss, options.months.size(), posts, rows,
        options.out.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tributary-sim: %s\n", e.what());
    return 1;
  }
  return 0;
}
