#include "national_month.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "enrol/agent_service.h"
#include "ingest/push_ingest.h"
#include "orgs/org_service.h"
#include "tributary/common/code_lists.h"
#include "tributary/common/digest.h"

namespace tributary::bench {

using namespace tributary::server;

namespace {

// `n` zero-padded to `width` digits.
std::string Digits(int n, int width) {
  std::string text = std::to_string(n);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(text.size()))),
                     '0') +
         text;
}

std::string PlaceCode(int n) {  // 3 upper-case alphanumerics: "P00".."Z99"
  return std::string(1, static_cast<char>('P' + n / 100)) + Digits(n % 100, 2);
}

std::string IcsCode(int n) {  // "Q" + 2: "QA0".."QZ9"
  return "Q" + std::string(1, static_cast<char>('A' + n / 10)) + Digits(n % 10, 1);
}

// England's shape: 42 ICSs, 106 places, five practices to a PCN.
}  // namespace

Nation MakeNation(int practice_count) {
  Nation n;
  auto add = [&n](std::string code, OrgLevel level, std::string parent) {
    n.organisations.push_back({code, code + " name", level, parent, "2026-01-01", ""});
  };
  // A smaller run keeps the shape: no place or ICS without practices.
  int pcn_count = (practice_count + 4) / 5;
  int place_count = std::min(106, pcn_count);
  int ics_count = std::min(42, place_count);
  for (int i = 0; i < ics_count; ++i) {
    n.icss.push_back(IcsCode(i));
    add(n.icss.back(), OrgLevel::kIcs, "");
  }
  for (int i = 0; i < place_count; ++i) {
    n.places.push_back(PlaceCode(i));
    add(n.places.back(), OrgLevel::kPlace, n.icss[static_cast<std::size_t>(i % ics_count)]);
  }
  for (int i = 0; i < pcn_count; ++i) {
    n.pcns.push_back("U" + Digits(i + 1, 5));
    add(n.pcns.back(), OrgLevel::kPcn, n.places[static_cast<std::size_t>(i % place_count)]);
  }
  for (int i = 0; i < practice_count; ++i) {
    n.practices.push_back("B" + Digits(i + 1, 5));
    add(n.practices.back(), OrgLevel::kPractice, n.pcns[static_cast<std::size_t>(i / 5)]);
  }
  return n;
}

static protocol::Change MakeChange(std::uint64_t seq, const DatasetDecl& dataset, FieldMap fields) {
  protocol::Change c;
  c.seq = seq;
  c.dataset = std::string(dataset.name);
  c.key = RecordKey(dataset, fields);
  c.fields = std::move(fields);
  c.version = seq;
  return c;
}

// One practice's month: a list size, staff (one in ten shared with the next
// practice, as PCN staff are) and appointment rows.
protocol::PushBatch OneMonth(const std::string& practice, const std::string& neighbour,
                             const MonthShape& o, std::mt19937& rng) {
  protocol::PushBatch b;
  b.practice = practice;
  std::uint64_t seq = 0;
  std::uniform_int_distribution<int> list(4000, 16000), count(0, 20), hours(8, 40);
  b.changes.push_back(MakeChange(++seq, datasets::ListSize(),
                                 {{"extract_date", "2026-08-01"},
                                  {"practice", practice},
                                  {"patients", std::to_string(list(rng))}}));
  for (int s = 0; s < o.staff; ++s) {
    std::string person =
        s % 10 == 0 ? neighbour + "-" + std::to_string(s) : practice + "-" + std::to_string(s);
    int h = hours(rng);
    b.changes.push_back(MakeChange(++seq, datasets::Workforce(),
                                   {{"practice", practice},
                                    {"period", "2026-08"},
                                    {"person_key", digest::Sha256Hex(person)},
                                    {"staff_group", "Direct Patient Care"},
                                    {"staff_role", "Clinical Pharmacist"},
                                    {"contracted_hours", std::to_string(h)},
                                    {"fte", FteFromHours(static_cast<double>(h))},
                                    {"employer_type", "PRACTICE"},
                                    {"employer_code", practice},
                                    {"funding", s % 3 == 0 ? "ARRS" : "PRACTICE"},
                                    {"start_date", "2020-01-01"}}));
  }
  const auto& hcp = codes::HcpType().values;
  const auto& mode = codes::AppointmentMode().values;
  const auto& status = codes::AppointmentStatus().values;
  const auto& interval = codes::BookingInterval().values;
  int made = 0;
  for (int day = 1; day <= 31 && made < o.appointment_rows; ++day) {
    for (std::size_t i = 0; i < hcp.size() * mode.size() * status.size() * interval.size() &&
                            made < o.appointment_rows;
         ++i, ++made) {
      std::size_t k = i;
      std::string h(hcp[k % hcp.size()]);
      k /= hcp.size();
      std::string m(mode[k % mode.size()]);
      k /= mode.size();
      std::string st(status[k % status.size()]);
      k /= status.size();
      std::string iv(interval[k % interval.size()]);
      b.changes.push_back(MakeChange(++seq, datasets::Appointments(),
                                     {{"appointment_date", "2026-08-" + Digits(day, 2)},
                                      {"practice", practice},
                                      {"hcp_type", h},
                                      {"appt_mode", m},
                                      {"appt_status", st},
                                      {"booking_interval", iv},
                                      {"national_category", "General Consultation Routine"},
                                      {"count", std::to_string(count(rng))}}));
    }
  }
  b.from_seq = 1;
  b.to_seq = seq;
  return b;
}

IngestedMonth IngestNationalMonth(ServerStore& store, const Nation& nation, const MonthShape& shape,
                                  std::mt19937& rng) {
  OrgService(store).Replace(nation.organisations, "bench");
  PushIngest ingest(store);
  IngestedMonth out;
  std::int64_t now = store.NowMillis();
  for (std::size_t i = 0; i < nation.practices.size(); ++i) {
    const std::string& practice = nation.practices[i];
    AgentService(store).AddToken("t" + practice, practice, now + 3'600'000);
    AgentService(store).EnrolWithToken("t" + practice, [&](const std::string&) {
      return IssuedIdentity{"a" + practice, "s" + practice, 0};
    });
    AgentIdentity agent = *AgentService(store).FindByCertificate("s" + practice);
    protocol::PushBatch batch =
        OneMonth(practice, nation.practices[(i + 1) % nation.practices.size()], shape, rng);
    out.records += batch.changes.size();
    auto start = std::chrono::steady_clock::now();
    IngestResult result = ingest.Ingest(agent, batch);
    out.ingest_time += std::chrono::steady_clock::now() - start;
    if (result.reply.accepted != batch.changes.size()) {
      std::fprintf(stderr, "%s: only %llu of %zu accepted\n", practice.c_str(),
                   static_cast<unsigned long long>(result.reply.accepted), batch.changes.size());
      std::exit(1);
    }
  }
  return out;
}

}  // namespace tributary::bench
