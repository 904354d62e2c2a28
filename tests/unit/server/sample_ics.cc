#include "sample_ics.h"

#include <catch2/catch.hpp>

#include "enrol/agent_service.h"
#include "importer/csv_importer.h"
#include "ingest/push_ingest.h"
#include "local_person_keys.h"
#include "orgs/org_file.h"
#include "orgs/org_service.h"
#include "returns/return_service.h"
#include "tributary/common/digest.h"
#include "tributary/common/files.h"

namespace tributary::server {
namespace {

const std::filesystem::path kSample =
    std::filesystem::path(TRIBUTARY_SOURCE_DIR) / "examples/ics-sample";

}  // namespace

std::filesystem::path SampleIcs() { return kSample; }

void LoadSample(ServerStore& store, FakeClock& clock) {
  std::string orgs = files::Read(kSample / "orgs.csv");
  ParsedOrgFile parsed = ParseOrgFile(orgs);
  REQUIRE(parsed.problems.empty());
  OrgService(store).Replace(parsed.organisations, digest::Sha256Hex(orgs));

  PushIngest ingest(store);
  tributary::testing::LocalPersonKeys person_keys;
  for (const auto& entry : std::filesystem::directory_iterator(kSample / "practices")) {
    std::string practice = entry.path().filename().string();
    AgentService(store).AddToken("token-" + practice, practice, clock.NowMillis() + 60'000);
    AgentService(store).EnrolWithToken("token-" + practice, [&practice](const std::string&) {
      return IssuedIdentity{"agent-" + practice, "serial-" + practice, 0};
    });
    AgentIdentity agent = *AgentService(store).FindByCertificate("serial-" + practice);
    agent::ImportSettings settings{practice, &person_keys, 100};
    std::uint64_t seq = 0;
    for (const auto& file : std::filesystem::directory_iterator(entry.path())) {
      auto import = agent::ParseImport(files::Read(file.path()), nullptr, settings);
      REQUIRE(import.problems.empty());
      protocol::PushBatch batch;
      batch.practice = practice;
      batch.from_seq = seq + 1;
      for (const auto& month : import.periods) {
        for (const FieldMap& record : month.records) {
          protocol::Change c;
          c.seq = ++seq;
          c.dataset = std::string(import.dataset->name);
          c.key = RecordKey(*import.dataset, record);
          c.fields = record;
          c.version = seq;
          batch.changes.push_back(std::move(c));
        }
      }
      batch.to_seq = seq;
      IngestResult result = ingest.Ingest(agent, batch);
      REQUIRE(result.reply.acknowledged_seq == seq);
      REQUIRE(result.reply.outcomes.empty());
    }
  }
}

void ProgressReturns(ServerStore& store) {
  int i = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kSample / "practices")) {
    std::string practice = entry.path().filename().string();
    ++i;
    if (i % 2 != 0) continue;
    for (const char* dataset : {"workforce", "appointments", "list_size"}) {
      ReturnKey key{practice, dataset, "2026-08"};
      if (i == 10 && std::string(dataset) == "list_size") continue;
      ReturnService(store).Act(key, ReturnAction::kSubmit, "agent", "");
      if (i % 4 == 0) ReturnService(store).Act(key, ReturnAction::kApprove, "pcn manager", "");
      if (i == 6) ReturnService(store).Act(key, ReturnAction::kQuery, "pcn manager", "why so few?");
    }
  }
}

}  // namespace tributary::server
