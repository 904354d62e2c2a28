// A published month stands still on the sample ICS: October is closed and
// published; a practice then pushes a change to October (quarantined, the
// month being closed) and a new hierarchy moves another practice to another
// PCN from October. The published figures are byte-identical before and
// after; the latest ones move exactly where the move says.
#include <catch2/catch.hpp>
#include <sstream>

#include "enrol/agent_service.h"
#include "orgs/org_hierarchy.h"
#include "orgs/org_service.h"
#include "periods/period_service.h"
#include "reconcile/record_readings.h"
#include "rollup/rollup_readings.h"
#include "sample_ics.h"
#include "server_fixture.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;

namespace {

constexpr const char* kMonth = "2026-10";
constexpr const char* kFirstDay = "2026-10-01";

struct SampleServer : ServerFixture {
  std::string ics;

  SampleServer() : ServerFixture(1'795'000'000'000) {
    LoadSample(store, clock);
    auto all = store.Hierarchy()->At(OrgLevel::kIcs, kFirstDay);
    REQUIRE(all.size() == 1);
    ics = all.front()->code;
    AddUser("u-ivy", "Ivy", Role::kIcsManager, ics, "ivy");
  }

  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "") {
    return ServerFixture::Call("ivy", method, target, body);
  }
  std::string Csv(const std::string& query) {
    HttpResponse r = Call("GET", std::string("/v1/rollups?format=csv&period=") + kMonth + query);
    REQUIRE(r.status == 200);
    return r.body;
  }
};

// The total of `measure` for `code` in a tidy CSV; -1 when absent.
double Total(const std::string& csv, const std::string& code, const std::string& measure) {
  std::istringstream lines(csv);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("," + code + "," + kMonth + ",") == std::string::npos) continue;
    if (line.find("," + measure + ",,,,,,,") == std::string::npos) continue;
    std::size_t value_end = line.rfind(',');
    std::size_t value_start = line.rfind(',', value_end - 1) + 1;
    return std::stod(line.substr(value_start, value_end - value_start));
  }
  return -1;
}

// The rows of `csv` about organisation `code`.
std::string RowsOf(const std::string& csv, const std::string& code) {
  std::istringstream lines(csv);
  std::string line, out;
  while (std::getline(lines, line)) {
    if (line.find("," + code + ",") != std::string::npos) out += line + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE(
    "periods: a published month stands still when records and hierarchy move, on the sample ICS") {
  SampleServer s;
  REQUIRE(s.Call("POST", "/v1/periods/close", R"({"period":"2026-10"})").status == 200);
  REQUIRE(s.Call("POST", "/v1/periods/publish", R"({"period":"2026-10"})").status == 200);
  const std::string published = s.Csv("&basis=published");
  const std::string latest_before = s.Csv("");
  REQUIRE(published == latest_before);  // published as the figures stood
  const std::string lineage_before = s.Call("GET", "/v1/periods/lineage?period=2026-10").body;

  // The practice and PCN of the move: a practice in the same PCN since
  // before October with appointments in it, to a PCN of another place.
  std::shared_ptr<const OrgHierarchy> hierarchy = s.store.Hierarchy();
  std::vector<Organisation> organisations = OrgService(s.store).All();
  std::string mover, from_pcn, to_pcn;
  for (const Organisation& o : organisations) {
    if (o.level != OrgLevel::kPractice || !o.valid_to.empty() || o.valid_from >= "2026-09-01") {
      continue;
    }
    if (Total(latest_before, o.code, "appointments") <= 0) continue;
    mover = o.code;
    from_pcn = o.parent;
    break;
  }
  REQUIRE_FALSE(mover.empty());
  std::string from_place = hierarchy->Find(from_pcn, kFirstDay)->parent;
  for (const Organisation* pcn : hierarchy->At(OrgLevel::kPcn, kFirstDay)) {
    if (pcn->parent != from_place) to_pcn = pcn->code;
  }
  REQUIRE_FALSE(to_pcn.empty());
  INFO(mover << " moves from " << from_pcn << " to " << to_pcn);

  // A late change to October from that practice: kept, not applied.
  std::vector<HeldRecord> list = RecordReadings(s.store).Of(mover, "list_size", kMonth);
  REQUIRE_FALSE(list.empty());
  AgentIdentity agent = *AgentService(s.store).FindByCertificate("serial-" + mover);
  protocol::PushBatch batch;
  batch.practice = mover;
  batch.from_seq = batch.to_seq = AgentService(s.store).AcknowledgedSeq(agent.agent_id) + 1;
  protocol::Change change;
  change.seq = batch.from_seq;
  change.dataset = "list_size";
  change.fields = list.front().fields;
  change.fields["patients"] = "1";
  change.key = RecordKey(*datasets::Find("list_size"), change.fields);
  change.version = change.seq;
  change.base_version = list.front().version;
  batch.changes = {change};
  IngestResult late = s.ingest.Ingest(agent, batch);
  CHECK(late.reply.accepted == 0);
  REQUIRE(late.reply.outcomes.size() == 1);
  CHECK(late.reply.outcomes[0].reasons.at(0).reason.rfind("period_closed", 0) == 0);
  CHECK(s.Csv("") == latest_before);

  // The hierarchy moves the practice from October.
  for (Organisation& o : organisations) {
    if (o.code == mover && o.valid_to.empty()) o.valid_to = "2026-09-30";
  }
  Organisation moved = *hierarchy->Find(mover, kFirstDay);
  moved.parent = to_pcn;
  moved.valid_from = kFirstDay;
  moved.valid_to = "";
  organisations.push_back(moved);
  REQUIRE(OrgService(s.store).Replace(organisations, "the move"));

  CHECK(s.Csv("&basis=published") == published);  // byte-identical
  CHECK(s.Csv("&basis=published&version=1") == published);
  CHECK(s.Call("GET", "/v1/periods/lineage?period=2026-10").body == lineage_before);
  const std::string latest_after = s.Csv("");
  CHECK(latest_after != latest_before);
  // Where it should: the practice's own figures stay; its appointments leave
  // the old PCN and join the new one; the ICS's total does not move.
  double moved_appointments = Total(latest_before, mover, "appointments");
  CHECK(RowsOf(latest_after, mover) == RowsOf(latest_before, mover));
  CHECK(Total(latest_after, from_pcn, "appointments") ==
        Approx(Total(latest_before, from_pcn, "appointments") - moved_appointments));
  CHECK(Total(latest_after, to_pcn, "appointments") ==
        Approx(Total(latest_before, to_pcn, "appointments") + moved_appointments));
  CHECK(Total(latest_after, s.ics, "appointments") == Total(latest_before, s.ics, "appointments"));
  CHECK(Total(latest_after, to_pcn, "practices_expected") ==
        Total(latest_before, to_pcn, "practices_expected") + 1);
  // ...and the published version still counts it where it was.
  CHECK(Total(published, from_pcn, "appointments") ==
        Total(latest_before, from_pcn, "appointments"));

  CHECK(PeriodService(s.store).PublishedDifferences().empty());
  CHECK(RollupReadings(s.store).Differences().empty());
}
