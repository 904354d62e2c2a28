#include "orgs/org_file.h"

#include <algorithm>
#include <map>

#include "tributary/common/csv_reader.h"
#include "tributary/common/dates.h"
#include "tributary/common/ods_code.h"

namespace tributary::server {
namespace {

constexpr std::string_view kColumns[] = {"ORG_CODE",    "ORG_NAME",   "ORG_TYPE",
                                         "PARENT_CODE", "VALID_FROM", "VALID_TO"};
enum Column { kCode, kName, kType, kParent, kFrom, kTo, kColumnCount };

bool CodeFitsLevel(std::string_view code, OrgLevel level) {
  switch (level) {
    case OrgLevel::kPractice:
      return ods::IsPracticeCode(code);
    case OrgLevel::kPcn:
      return ods::IsPcnCode(code);
    case OrgLevel::kPlace:
      return ods::IsPlaceCode(code);
    case OrgLevel::kIcs:
      return ods::IsIcsCode(code);
  }
  return false;
}

// Normalises an ISO or NHS-style date to ISO; empty on failure.
std::string IsoDate(std::string_view text) {
  auto date = ParseDate(text);
  return date ? date->ToString() : "";
}

struct Row {
  Organisation org;
  std::size_t line;
};

class Checker {
 public:
  explicit Checker(ParsedOrgFile& out) : out_(out) {}
  void Add(std::size_t line, std::string column, std::string reason) {
    out_.problems.push_back({line, std::move(column), std::move(reason)});
  }

  // One row on its own: every field in its format.
  bool CheckRow(const CsvRecord& record, Row& row) {
    const auto& f = record.fields;
    std::size_t before = out_.problems.size();
    row.line = record.line;
    row.org.code = f[kCode];
    row.org.name = f[kName];
    row.org.parent = f[kParent];
    auto level = ParseOrgType(f[kType]);
    if (!level) {
      Add(record.line, "ORG_TYPE", "'" + f[kType] + "' is not PRACTICE, PCN, PLACE or ICS");
    } else {
      row.org.level = *level;
      if (!CodeFitsLevel(f[kCode], *level)) {
        Add(record.line, "ORG_CODE",
            "'" + f[kCode] + "' is not a " + std::string(OrgTypeName(*level)) + " code");
      }
      if (*level == OrgLevel::kIcs && !f[kParent].empty()) {
        Add(record.line, "PARENT_CODE", "an ICS has no parent");
      }
      if (*level != OrgLevel::kIcs && f[kParent].empty()) {
        Add(record.line, "PARENT_CODE", "is required");
      }
    }
    if (f[kName].empty()) Add(record.line, "ORG_NAME", "is required");
    row.org.valid_from = IsoDate(f[kFrom]);
    if (row.org.valid_from.empty()) {
      Add(record.line, "VALID_FROM", "'" + f[kFrom] + "' is not a date");
    }
    if (!f[kTo].empty()) {
      row.org.valid_to = IsoDate(f[kTo]);
      if (row.org.valid_to.empty()) {
        Add(record.line, "VALID_TO", "'" + f[kTo] + "' is not a date");
      } else if (!row.org.valid_from.empty() && row.org.valid_to < row.org.valid_from) {
        Add(record.line, "VALID_TO", "is before VALID_FROM");
      }
    }
    return out_.problems.size() == before;
  }

  // The rows together: one type and no overlapping spans per code; each
  // parent exists, one level up, valid on the day its child starts.
  void CheckTogether(const std::vector<Row>& rows) {
    std::map<std::string, std::vector<const Row*>> by_code;
    for (const Row& r : rows) by_code[r.org.code].push_back(&r);
    for (auto& [code, spans] : by_code) {
      std::sort(spans.begin(), spans.end(),
                [](const Row* a, const Row* b) { return a->org.valid_from < b->org.valid_from; });
      for (std::size_t i = 1; i < spans.size(); ++i) {
        const Row& prev = *spans[i - 1];
        const Row& next = *spans[i];
        if (next.org.level != prev.org.level) {
          Add(next.line, "ORG_TYPE",
              code + " is a " + std::string(OrgTypeName(prev.org.level)) + " on line " +
                  std::to_string(prev.line));
        } else if (prev.org.valid_to.empty() || next.org.valid_from <= prev.org.valid_to) {
          Add(next.line, "VALID_FROM",
              code + " is already valid on " + next.org.valid_from + " (line " +
                  std::to_string(prev.line) + ")");
        }
      }
    }
    for (const Row& r : rows) {
      auto parent_level = ParentLevel(r.org.level);
      if (!parent_level) continue;
      auto it = by_code.find(r.org.parent);
      if (it == by_code.end()) {
        Add(r.line, "PARENT_CODE", r.org.parent + " is not in the file");
        continue;
      }
      const Row* parent = nullptr;
      for (const Row* p : it->second) {
        if (p->org.ValidOn(r.org.valid_from)) parent = p;
      }
      if (parent == nullptr) {
        Add(r.line, "PARENT_CODE", r.org.parent + " is not valid on " + r.org.valid_from);
      } else if (parent->org.level != *parent_level) {
        Add(r.line, "PARENT_CODE",
            r.org.parent + " is a " + std::string(OrgTypeName(parent->org.level)) + "; a " +
                std::string(OrgTypeName(r.org.level)) + "'s parent must be a " +
                std::string(OrgTypeName(*parent_level)));
      }
    }
  }

 private:
  ParsedOrgFile& out_;
};

}  // namespace

ParsedOrgFile ParseOrgFile(std::string_view content) {
  ParsedOrgFile out;
  Checker checker(out);
  CsvReader reader(content);
  CsvRecord header;
  if (!reader.Next(header)) {
    checker.Add(reader.failed() ? reader.error().line : 1, "header",
                reader.failed() ? reader.error().reason : "the file is empty");
    return out;
  }
  if (!std::equal(header.fields.begin(), header.fields.end(), std::begin(kColumns),
                  std::end(kColumns))) {
    std::string expected;
    for (auto c : kColumns) expected += (expected.empty() ? "" : ",") + std::string(c);
    checker.Add(1, "header", "must be " + expected);
    return out;
  }
  std::vector<Row> rows;
  CsvRecord record;
  while (reader.Next(record)) {
    if (record.fields.size() != kColumnCount) {
      checker.Add(record.line, "row",
                  "has " + std::to_string(record.fields.size()) + " fields, not " +
                      std::to_string(kColumnCount));
      continue;
    }
    Row row;
    if (checker.CheckRow(record, row)) rows.push_back(std::move(row));
  }
  if (reader.failed()) checker.Add(reader.error().line, "row", reader.error().reason);
  if (!out.problems.empty()) return out;
  if (rows.empty()) {
    checker.Add(1, "header", "the file has a header but no rows");
    return out;
  }
  checker.CheckTogether(rows);
  if (!out.problems.empty()) {
    std::stable_sort(
        out.problems.begin(), out.problems.end(),
        [](const OrgFileProblem& a, const OrgFileProblem& b) { return a.line < b.line; });
    return out;
  }
  for (Row& r : rows) out.organisations.push_back(std::move(r.org));
  return out;
}

}  // namespace tributary::server
