// A renewal interrupted by a crash at any point leaves a matching key and
// certificate once FinishRenewal has run.
#include "sync/certificate_renewal.h"

#include <catch2/catch.hpp>

#include "temp_dir.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::agent;

namespace {

struct Pair {
  testing::TempDir dir;
  AgentPaths paths{dir.path()};
  Pair() {
    files::WriteAtomic(paths.Key(), "old key");
    files::WriteAtomic(paths.Certificate(), "old cert");
  }
  std::string Key() const { return files::Read(paths.Key()); }
  std::string Cert() const { return files::Read(paths.Certificate()); }
  bool Pending() const {
    return std::filesystem::exists(paths.Key().string() + ".new") ||
           std::filesystem::exists(paths.Certificate().string() + ".new");
  }
};

}  // namespace

TEST_CASE("renewal: crashed after writing both new files: the new pair goes in") {
  Pair p;
  files::WriteAtomic(p.paths.Key().string() + ".new", "new key");
  files::WriteAtomic(p.paths.Certificate().string() + ".new", "new cert");
  FinishRenewal(p.paths);
  CHECK(p.Key() == "new key");
  CHECK(p.Cert() == "new cert");
  CHECK_FALSE(p.Pending());
}

TEST_CASE("renewal: crashed after the key was renamed: the certificate follows") {
  Pair p;
  files::WriteAtomic(p.paths.Key(), "new key");
  files::WriteAtomic(p.paths.Certificate().string() + ".new", "new cert");
  FinishRenewal(p.paths);
  CHECK(p.Key() == "new key");
  CHECK(p.Cert() == "new cert");
  CHECK_FALSE(p.Pending());
}

TEST_CASE("renewal: crashed before the certificate arrived: the old pair stays") {
  Pair p;
  files::WriteAtomic(p.paths.Key().string() + ".new", "new key");
  FinishRenewal(p.paths);
  CHECK(p.Key() == "old key");
  CHECK(p.Cert() == "old cert");
  CHECK_FALSE(p.Pending());
  FinishRenewal(p.paths);  // nothing to do: nothing changes
  CHECK(p.Key() == "old key");
}
