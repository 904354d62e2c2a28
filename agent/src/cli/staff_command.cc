// `staff add|update|end|list`: manual workforce entry, for people the
// clinical system's export does not cover (PCN-employed Additional Roles
// staff, locums). Each entry is one workforce record for one month, checked
// exactly as an imported row is; names and registration numbers stay in the
// local store and the record carries the person key.
//
// Flags are the workforce CSV columns in lower case with dashes
// (STAFF_ROLE -> --staff-role), so the manual and the file speak alike.
#include <boost/json.hpp>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <set>

#include "cli/agent_commands.h"
#include "importer/workforce_record.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/error.h"
#include "tributary/common/terminal_text.h"

namespace tributary::agent {
namespace {

const DatasetDecl& Workforce() { return datasets::Workforce(); }

std::string FlagFor(const FieldDecl& field) {
  std::string flag;
  for (char c : field.column) {
    flag += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return flag;
}

// The fields a person types in: every column of the workforce CSV except the
// practice, which is the one this agent is enrolled for.
std::vector<const FieldDecl*> EnteredFields() {
  std::vector<const FieldDecl*> fields;
  for (const FieldDecl& f : Workforce().fields) {
    if (!f.column.empty() && f.name != Workforce().practice_field) fields.push_back(&f);
  }
  return fields;
}

std::set<std::string> AllowedFlags(std::initializer_list<std::string> extra) {
  std::set<std::string> allowed{"config", "data-dir"};
  allowed.insert(extra.begin(), extra.end());
  for (const FieldDecl* f : EnteredFields()) allowed.insert(FlagFor(*f));
  return allowed;
}

// One person's record in one month, as held.
struct StaffEntry {
  StoredRecord record;
  Person person;
};

std::vector<StaffEntry> EntriesFor(LocalStore& store, const std::string& period) {
  std::vector<StaffEntry> entries;
  for (StoredRecord& record : store.Records(Workforce(), period)) {
    std::optional<Person> person = store.FindPerson(record.fields["person_key"]);
    entries.push_back({std::move(record), person.value_or(Person{})});
  }
  return entries;
}

std::optional<StaffEntry> FindEntry(LocalStore& store, const std::string& period,
                                    const std::string& staff_id) {
  for (StaffEntry& entry : EntriesFor(store, period)) {
    if (entry.person.staff_id == staff_id) return std::move(entry);
  }
  return std::nullopt;
}

// The entry as it was typed: the wire fields plus the person's local details,
// without the derived person key and FTE.
FieldMap AsEntered(const StaffEntry& entry) {
  FieldMap row = entry.record.fields;
  row.erase("person_key");
  row.erase("fte");
  row["staff_id"] = entry.person.staff_id;
  row["given_name"] = entry.person.given_name;
  row["family_name"] = entry.person.family_name;
  row["registration_body"] = entry.person.registration_body;
  row["registration_number"] = entry.person.registration_number;
  row["employer_staff_id"] = entry.person.employer_staff_id;
  return row;
}

// Checks every entered field as an import would and derives the record.
// Throws Error(kInvalidInput) naming each flag at fault; nothing is saved.
FieldMap CompleteEntry(FieldMap entered, const std::string& practice, PersonKeyer& keys,
                       Person& person) {
  std::string problems;
  FieldMap row;
  row[std::string(Workforce().practice_field)] = practice;
  for (const FieldDecl* f : EnteredFields()) {
    std::string normalised;
    std::string reason = CheckField(*f, entered[std::string(f->name)], normalised);
    if (!reason.empty()) {
      problems += "\n  --" + FlagFor(*f) + ": '" + entered[std::string(f->name)] + "' " + reason;
    }
    row[std::string(f->name)] = normalised;
  }
  if (problems.empty()) {
    RecordProblem problem;
    std::optional<std::string> identity = IdentityOf(row, problem);
    std::optional<RecordProblem> found =
        identity ? CompleteWorkforceRecord(row, keys.KeysFor({*identity}).at(0), person)
                 : std::optional<RecordProblem>(problem);
    if (found) {
      const FieldDecl* f = Workforce().FindColumn(found->column);
      problems += "\n  --" + (f ? FlagFor(*f) : found->column) + ": " + found->reason;
    }
  }
  if (!problems.empty()) {
    throw Error::InvalidInput("not saved; please correct:" + problems);
  }
  return row;
}

FieldMap EnteredFromFlags(const Arguments& args) {
  FieldMap entered;
  for (const FieldDecl* f : EnteredFields()) {
    if (auto value = args.Get(FlagFor(*f))) entered[std::string(f->name)] = *value;
  }
  return entered;
}

std::string RequirePeriod(const Arguments& args) {
  std::string period = args.Require("period");
  std::string normalised;
  std::string reason = CheckField(*Workforce().Find("period"), period, normalised);
  if (!reason.empty()) throw Error::InvalidArgument("--period: '" + period + "' " + reason);
  return normalised;
}

int Add(const Arguments& args, AgentContext& context) {
  args.AllowOnly(AllowedFlags({}));
  std::string practice = context.RequirePractice();
  FieldMap entered = EnteredFromFlags(args);
  std::string period = RequirePeriod(args);
  std::string staff_id = args.Require("staff-id");
  if (FindEntry(context.store(), period, staff_id)) {
    throw Error::Conflict("staff " + staff_id + " already has a record for " + period +
                          "; change it with 'tributary-agent staff update'");
  }
  Person person;
  FieldMap record = CompleteEntry(entered, practice, context.PersonKeys(), person);
  if (context.store().FindRecord(Workforce(), RecordKey(Workforce(), record))) {
    throw Error::Conflict("this person already has a record for " + period +
                          " under another staff id; change that one with 'staff update'");
  }
  context.store().UpsertRecord(Workforce(), record, &person);
  std::printf("added %s (%s, %s h/week, FTE %s) for %s%s\n", staff_id.c_str(),
              record["staff_role"].c_str(), record["contracted_hours"].c_str(),
              record["fte"].c_str(), period.c_str(),
              IsPendingPersonKey(record["person_key"])
                  ? "; new to this practice: sent once the next sync has made their person key"
                  : "");
  return kExitOk;
}

// Applies `changes` to the person's record for the month, as one edit.
int Change(AgentContext& context, const std::string& period, const std::string& staff_id,
           const FieldMap& changes, const char* verb) {
  std::string practice = context.RequirePractice();
  std::optional<StaffEntry> entry = FindEntry(context.store(), period, staff_id);
  if (!entry) {
    throw Error::NotFound("staff " + staff_id + " has no record for " + period +
                          "; see 'tributary-agent staff list --period " + period + "'");
  }
  FieldMap entered = AsEntered(*entry);
  for (const auto& [name, value] : changes) entered[name] = value;
  Person person;
  FieldMap record = CompleteEntry(entered, practice, context.PersonKeys(), person);
  std::string new_key = RecordKey(Workforce(), record);
  if (new_key != entry->record.key && context.store().FindRecord(Workforce(), new_key)) {
    throw Error::Conflict("the changed details match another person's record for " + period);
  }
  context.store().ReplaceRecord(Workforce(), entry->record.key, record, &person);
  std::printf("%s %s for %s\n", verb, staff_id.c_str(), period.c_str());
  return kExitOk;
}

int Update(const Arguments& args, AgentContext& context) {
  args.AllowOnly(AllowedFlags({}));
  std::string period = RequirePeriod(args);
  std::string staff_id = args.Require("staff-id");
  FieldMap changes = EnteredFromFlags(args);
  changes.erase("period");
  changes.erase("staff_id");
  if (changes.empty()) {
    throw Error::InvalidArgument(
        "nothing to update: give the fields to change, e.g. "
        "--contracted-hours 30");
  }
  return Change(context, period, staff_id, changes, "updated");
}

int End(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir", "period", "staff-id", "end-date"});
  std::string period = RequirePeriod(args);
  return Change(context, period, args.Require("staff-id"), {{"end_date", args.Require("end-date")}},
                "ended");
}

std::string LatestPeriod(LocalStore& store) {
  std::string latest;
  for (const auto& c : store.RecordCounts()) {
    if (c.dataset == Workforce().name && c.period > latest) latest = c.period;
  }
  return latest;
}

int List(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir", "period", "json"});
  std::string period = args.Has("period") ? RequirePeriod(args) : LatestPeriod(context.store());
  std::vector<StaffEntry> entries =
      period.empty() ? std::vector<StaffEntry>{} : EntriesFor(context.store(), period);
  std::sort(entries.begin(), entries.end(), [](const StaffEntry& a, const StaffEntry& b) {
    return a.person.staff_id < b.person.staff_id;
  });
  if (args.Has("json")) {
    boost::json::array out;
    for (const StaffEntry& e : entries) {
      boost::json::object o;
      for (const auto& [name, value] : AsEntered(e)) o[name] = value;
      const std::string& key = e.record.fields.at("person_key");
      bool pending = IsPendingPersonKey(key);
      o["person_key"] = pending ? boost::json::value(nullptr) : boost::json::value(key);
      o["awaiting_key"] = pending;
      o["fte"] = e.record.fields.at("fte");
      out.push_back(std::move(o));
    }
    std::cout << boost::json::serialize(out) << "\n";
    return kExitOk;
  }
  if (entries.empty()) {
    std::printf("no workforce records%s\n", period.empty() ? "" : (" for " + period).c_str());
    return kExitOk;
  }
  std::printf("workforce for %s (%zu people)\n", period.c_str(), entries.size());
  std::printf("%-10s %-24s %-32s %6s %5s %-9s %-8s %-10s %-10s\n", "STAFF_ID", "NAME", "ROLE",
              "HOURS", "FTE", "EMPLOYER", "FUNDING", "START", "END");
  for (const StaffEntry& e : entries) {
    const FieldMap& f = e.record.fields;
    std::string name = e.person.given_name + " " + e.person.family_name;
    std::printf("%-10s %-24s %-32s %6s %5s %-9s %-8s %-10s %-10s%s\n",
                ForTerminal(e.person.staff_id).c_str(), ForTerminal(name).c_str(),
                f.at("staff_role").c_str(), f.at("contracted_hours").c_str(), f.at("fte").c_str(),
                f.at("employer_code").c_str(), f.at("funding").c_str(), f.at("start_date").c_str(),
                f.count("end_date") ? f.at("end_date").c_str() : "",
                IsPendingPersonKey(f.at("person_key")) ? "  (awaiting key: not sent yet)" : "");
  }
  return kExitOk;
}

}  // namespace

int RunStaff(const Arguments& args, AgentContext& context) {
  std::string action = args.Positional(1);
  if (args.positional().size() > 2) {
    throw Error::InvalidArgument("unexpected '" + args.Positional(2) + "'");
  }
  if (action == "add") return Add(args, context);
  if (action == "update") return Update(args, context);
  if (action == "end") return End(args, context);
  if (action == "list") return List(args, context);
  throw Error::InvalidArgument(
      "usage: tributary-agent staff add|update|end|list [OPTIONS]; "
      "see 'tributary-agent --help'");
}

}  // namespace tributary::agent
