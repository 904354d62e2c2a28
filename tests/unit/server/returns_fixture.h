// A small ICS for the returns and months tests, driven through the router:
// QT1 with one place, PCNs U10010 (T01100, T01113) and U10017 (T01126), each
// practice enrolled with a list size for 2026-08, and one user per role:
// pat (PCN manager, U10010), sam (PCN manager, U10017), ian (ICS analyst),
// ivy (ICS manager) and ada (admin). Everything lives in a TempDir.
#pragma once

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "enrol/agent_service.h"
#include "returns/return_service.h"
#include "server_fixture.h"

namespace tributary::server::testing {

inline constexpr const char* kReturnsOrgs =
    "QT1,Vale ICB,ICS,,2026-01-01,\n"
    "T1A,Place 1,PLACE,QT1,2026-01-01,\n"
    "U10010,North PCN,PCN,T1A,2026-01-01,\n"
    "U10017,South PCN,PCN,T1A,2026-01-01,\n"
    "T01100,A,PRACTICE,U10010,2026-01-01,\n"
    "T01113,B,PRACTICE,U10010,2026-01-01,\n"
    "T01126,C,PRACTICE,U10017,2026-01-01,\n";

struct ReturnsFixture : ServerFixture {
  std::map<std::string, std::uint64_t> seqs;  // practice -> last seq pushed

  explicit ReturnsFixture(const std::string& orgs = kReturnsOrgs) {
    ImportOrgs(orgs);
    for (const char* practice : {"T01100", "T01113", "T01126"}) {
      EnrolPractice(practice);
      ListSize(practice, 5000);
    }
    AddUser("u-pat", "Pat", Role::kPcnManager, "U10010", "pat");
    AddUser("u-sam", "Sam", Role::kPcnManager, "U10017", "sam");
    AddUser("u-ian", "Ian", Role::kIcsAnalyst, "QT1", "ian");
    AddUser("u-ivy", "Ivy", Role::kIcsManager, "QT1", "ivy");
    AddUser("u-ada", "Ada", Role::kAdmin, "QT1", "ada");
  }

  // Pushes one change of the practice's agent as its own batch.
  IngestResult Push(const std::string& practice, const std::string& dataset, FieldMap fields) {
    protocol::PushBatch b;
    b.practice = practice;
    b.from_seq = b.to_seq = ++seqs[practice];
    protocol::Change c;
    c.seq = b.from_seq;
    c.dataset = dataset;
    c.key = RecordKey(*datasets::Find(dataset), fields);
    c.fields = std::move(fields);
    c.version = c.seq;
    c.base_version = 0;
    b.changes = {c};
    return ingest.Ingest(*AgentService(store).FindByCertificate("s-" + practice), b);
  }
  void ListSize(const std::string& practice, int patients,
                const std::string& extract = "2026-08-01") {
    auto r = Push(practice, "list_size",
                  {{"extract_date", extract},
                   {"practice", practice},
                   {"patients", std::to_string(patients)}});
    REQUIRE(r.reply.accepted == 1);
  }
  // One day's face-to-face GP appointments in August.
  void Appointments(const std::string& practice, int count) {
    auto r = Push(practice, "appointments",
                  {{"appointment_date", "2026-08-03"},
                   {"practice", practice},
                   {"hcp_type", "GP"},
                   {"appt_mode", "Face-to-Face"},
                   {"appt_status", "Attended"},
                   {"booking_interval", "Same Day"},
                   {"national_category", "General Consultation Routine"},
                   {"count", std::to_string(count)}});
    REQUIRE(r.reply.accepted == 1);
  }
  void Submit(const std::string& practice, const std::string& at = "2026-09-01T09:00:00Z",
              const std::string& dataset = "list_size") {
    REQUIRE(Push(practice, "submission",
                 {{"practice", practice},
                  {"dataset", dataset},
                  {"period", "2026-08"},
                  {"submitted_at", at}})
                .reply.accepted == 1);
  }

  ReturnStatus Return(const std::string& practice) {
    return ReturnService(store).Get({practice, "list_size", "2026-08"});
  }
  std::string State(const std::string& practice) {
    return std::string(ReturnStateName(Return(practice).state));
  }
  // POST /v1/returns/approve of the practice's August list size at `revision`.
  HttpResponse Approve(const std::string& token, const std::string& practice,
                       std::int64_t revision) {
    return Call(token, "POST", "/v1/returns/approve",
                "{" + Key(practice) + R"(,"revision":)" + std::to_string(revision) + "}");
  }

  static std::string Key(const std::string& practice) {
    return R"("practice":")" + practice + R"(","dataset":"list_size","period":"2026-08")";
  }
};

}  // namespace tributary::server::testing
