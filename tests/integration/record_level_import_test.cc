// A clinical system's appointments report, one row per appointment with the
// patient's name and NHS number on each, saved in the drop folder: the agent
// counts it into the GPAD daily crosstab exactly as independent code does,
// and afterwards no patient identifier is in any file of its data directory
// (the store read decrypted with its key, as anyone holding the directory
// could), the report itself not kept in processed/.
#include <signal.h>

#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <random>

#include "agent_store_files.h"
#include "cluster.h"
#include "tributary/common/files.h"
#include "tributary/common/sqlite.h"

using namespace tributary;
using namespace tributary::testing;
namespace fs = std::filesystem;

namespace {

// What the report says and what NHS England counts it as, written here
// independently of the profile that maps them.
struct Word {
  const char* said;
  const char* code;  // nullptr: a cancelled appointment, not counted
};
constexpr Word kStatus[] = {{"Finished", "Attended"},
                            {"Arrived", "Attended"},
                            {"Did Not Attend", "DNA"},
                            {"Cancelled by Patient", nullptr}};
constexpr Word kMode[] = {{"Face to Face (Surgery)", "Face-to-Face"},
                          {"Telephone/Audio", "Telephone"},
                          {"Video Conference", "Video Conference/Online"},
                          {"Face to Face (Home Visit)", "Home Visit"}};
constexpr Word kRole[] = {{"Salaried GP", "GP"},
                          {"GP Registrar", "GP"},
                          {"Practice Nurse", "Other Practice staff"},
                          {"Clinical Pharmacist", "Other Practice staff"}};
constexpr const char* kCategory[] = {"General Consultation Routine", "Clinical Triage",
                                     "Planned Clinics", "Structured Medication Review"};

std::string Two(unsigned n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string UkDate(std::chrono::sys_days day) {
  std::chrono::year_month_day d{day};
  return Two(static_cast<unsigned>(d.day())) + "/" + Two(static_cast<unsigned>(d.month())) + "/" +
         std::to_string(static_cast<int>(d.year()));
}

std::string IsoDate(std::chrono::sys_days day) {
  std::chrono::year_month_day d{day};
  return std::to_string(static_cast<int>(d.year())) + "-" + Two(static_cast<unsigned>(d.month())) +
         "-" + Two(static_cast<unsigned>(d.day()));
}

std::string Interval(long days) {
  if (days == 0) return "Same Day";
  if (days == 1) return "1 Day";
  if (days <= 7) return "2 to 7 Days";
  if (days <= 14) return "8  to 14 Days";
  if (days <= 21) return "15  to 21 Days";
  if (days <= 28) return "22  to 28 Days";
  return "More than 28 Days";
}

struct Report {
  std::string csv;
  std::map<std::string, std::int64_t> expected;  // "date|hcp|mode|status|interval|category"
  std::vector<std::string> identifiers;          // a sample of the patients' names and numbers
};

Report MakeReport(std::size_t rows, unsigned seed) {
  std::mt19937 random(seed);
  auto pick = [&random](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  Report r;
  r.csv =
      "\xEF\xBB\xBF"
      "Appointment Date , Appointment Time,Booked Date,Slot Status,Consultation Mode,"
      "Clinician Role,National Slot Category,Patient Name,NHS Number,Free Text\r\n";
  using namespace std::chrono;
  const sys_days first = sys_days{year{2026} / October / 1};
  for (std::size_t i = 0; i < rows; ++i) {
    sys_days day = first + days{static_cast<int>(pick(31))};
    long ahead = static_cast<long>(pick(40));
    const Word& status = kStatus[pick(4)];
    const Word& mode = kMode[pick(4)];
    const Word& role = kRole[pick(4)];
    const char* category = kCategory[pick(4)];
    std::string nhs_number = std::to_string(9000000000ULL + i * 7919ULL % 999999999ULL);
    std::string name = "Patient" + std::to_string(i) + " Surname" + std::to_string(i * 31);
    if (i % 20'000 == 0) {
      r.identifiers.push_back(nhs_number);
      r.identifiers.push_back(name);
    }
    r.csv += UkDate(day) + "," + Two(static_cast<unsigned>(8 + pick(10))) + ":" +
             Two(static_cast<unsigned>(pick(60))) + "," + UkDate(day - days{ahead}) + " 08:15," +
             status.said + "," + mode.said + "," + role.said + "," + category + "," + name + "," +
             nhs_number + ",\"seen re: " + name + "\"\r\n";
    if (status.code == nullptr) continue;
    r.expected[IsoDate(day) + "|" + role.code + "|" + mode.code + "|" + status.code + "|" +
               Interval(ahead) + "|" + category] += 1;
  }
  return r;
}

// The agent's appointments as (date|hcp|mode|status|interval|category) -> count.
std::map<std::string, std::int64_t> AgentCounts(const AgentUnderTest& agent) {
  auto db = OpenAgentStore(agent.data_dir());
  auto stmt = db.Prepare("SELECT fields FROM records WHERE dataset = 'appointments'");
  std::map<std::string, std::int64_t> counts;
  while (stmt.Step()) {
    auto o = boost::json::parse(stmt.ColumnText(0)).as_object();
    auto text = [&o](const char* f) { return std::string(o.at(f).as_string().c_str()); };
    CHECK(text("practice") == agent.practice());
    counts[text("appointment_date") + "|" + text("hcp_type") + "|" + text("appt_mode") + "|" +
           text("appt_status") + "|" + text("booking_interval") + "|" +
           text("national_category")] += std::stoll(text("count"));
  }
  return counts;
}

}  // namespace

TEST_CASE(
    "record-level import: 200,000 appointments count into the daily crosstab exactly, and no "
    "patient identifier is kept anywhere",
    "[sqlite]") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100", kQuickDaemon);
  agent.Enrol(server);
  Report report = MakeReport(200'000, 20261201);

  auto daemon = agent.StartDaemon();
  daemon->WaitForLineContaining("\"agent_started\"");
  fs::path drop = agent.data_dir() / "drop";
  files::WriteAtomic(drop / "emis-appointments-october.csv", report.csv);
  std::string imported = daemon->WaitForLineContaining("\"file_imported\"");
  CHECK(imported.find("emis-appointments-october.csv.imported.txt") != std::string::npos);
  daemon->WaitForLineContaining("\"synced\"");
  daemon->Signal(SIGTERM);
  CHECK(daemon->Wait() == 0);

  CHECK(AgentCounts(agent) == report.expected);
  CHECK(AgentRecords(agent) == ServerRecords(server, "T01100"));

  // The report is gone; a note of what it was stays.
  CHECK_FALSE(fs::exists(drop / "emis-appointments-october.csv"));
  CHECK_FALSE(fs::exists(drop / "processed" / "emis-appointments-october.csv"));
  std::string note = files::Read(drop / "processed" / "emis-appointments-october.csv.imported.txt");
  CHECK(note.find("200000 rows") != std::string::npos);
  CHECK(note.find("SHA-256 ") != std::string::npos);

  // No identifier in any file of the data directory, the store decrypted.
  std::vector<std::string> contents;
  for (const auto& entry : fs::recursive_directory_iterator(agent.data_dir())) {
    if (entry.is_regular_file()) contents.push_back(files::Read(entry.path()));
  }
  contents.push_back(DecryptedStoreBytes(agent.data_dir(), dir.path() / "plain.db"));
  REQUIRE(report.identifiers.size() == 20);
  for (const std::string& identifier : report.identifiers) {
    INFO(identifier);
    for (const std::string& content : contents) {
      CHECK(content.find(identifier) == std::string::npos);
    }
  }
  for (const std::string& content : contents) CHECK(content.find("seen re:") == std::string::npos);
}

TEST_CASE("record-level import: a mid-month report replaces only the days it covers", "[sqlite]") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  const std::string header =
      "Appointment Date,Booked Date,Slot Status,Consultation Mode,Clinician Role,"
      "National Slot Category,NHS Number\n";
  auto row = [](const std::string& date, const std::string& status) {
    return date + "," + date + "," + status +
           ",Telephone/Audio,Salaried GP,Clinical Triage,9434765919\n";
  };
  fs::path whole = dir.path() / "october.csv";
  files::WriteAtomic(whole, header + row("01/10/2026", "Finished") + row("15/10/2026", "Finished") +
                                row("16/10/2026", "Finished") + row("31/10/2026", "Finished"));
  agent.RunOk({"import", whole.string()});
  // Re-run mid-month: the 1st to the 16th, the 15th now a DNA, the 16th's
  // appointment cancelled (not counted, but the report still covers the day).
  fs::path part = dir.path() / "october-to-16th.csv";
  files::WriteAtomic(part, header + row("01/10/2026", "Finished") +
                               row("15/10/2026", "Did Not Attend") +
                               row("16/10/2026", "Cancelled by Patient"));
  std::string out = agent.RunOk({"import", part.string()});
  CHECK(out.find("replaced 2026-10-01 to 2026-10-16") != std::string::npos);
  std::map<std::string, std::int64_t> counts = AgentCounts(agent);
  CHECK(counts.size() == 3);
  CHECK(counts.count("2026-10-16|GP|Telephone|Attended|Same Day|Clinical Triage") == 0);
  CHECK(counts["2026-10-15|GP|Telephone|DNA|Same Day|Clinical Triage"] == 1);
  CHECK(counts.count("2026-10-15|GP|Telephone|Attended|Same Day|Clinical Triage") == 0);
  // The 31st, after the report's last day, is kept.
  CHECK(counts["2026-10-31|GP|Telephone|Attended|Same Day|Clinical Triage"] == 1);
}
