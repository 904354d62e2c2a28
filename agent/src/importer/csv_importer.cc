#include "importer/csv_importer.h"

#include <algorithm>
#include <map>
#include <set>

#include "importer/workforce_record.h"
#include "tributary/common/csv_reader.h"
#include "tributary/common/error.h"

namespace tributary::agent {
namespace {

class Problems {
 public:
  Problems(ParsedImport& out, std::size_t max) : out_(out), max_(max) {}
  void Add(std::size_t line, std::string column, std::string reason) {
    if (out_.problems.size() < max_) {
      out_.problems.push_back({line, std::move(column), std::move(reason)});
    } else {
      ++out_.problems_not_listed;
    }
  }
  bool any() const { return !out_.problems.empty(); }

 private:
  ParsedImport& out_;
  std::size_t max_;
};

std::string Join(const std::vector<std::string_view>& words) {
  std::string text;
  for (auto w : words) text += (text.empty() ? "" : ", ") + std::string(w);
  return text;
}

// Maps each header column to its field, or reports why the header does not fit.
const DatasetDecl* MatchHeader(const std::vector<std::string>& header, const DatasetDecl* wanted,
                               std::vector<const FieldDecl*>& fields, Problems& problems) {
  std::set<std::string_view> given(header.begin(), header.end());
  auto fits = [&given, &header](const DatasetDecl& d) {
    auto columns = d.Columns();
    return columns.size() == header.size() &&
           std::all_of(columns.begin(), columns.end(),
                       [&given](std::string_view c) { return given.count(c) > 0; });
  };
  const DatasetDecl* dataset = wanted;
  if (dataset == nullptr) {
    for (const DatasetDecl* d : datasets::All()) {
      if (fits(*d)) dataset = d;
    }
    if (dataset == nullptr) {
      problems.Add(1, "header",
                   "the columns match no dataset; expected those of workforce, appointments or "
                   "list_size (docs/data.md gives each header), or name one with --dataset");
      return nullptr;
    }
  }
  if (given.size() != header.size()) {
    problems.Add(1, "header", "a column appears twice");
    return nullptr;
  }
  for (std::string_view column : dataset->Columns()) {
    if (given.count(column) == 0) {
      problems.Add(1, std::string(column), "column is missing from the header");
    }
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& column = header[i];
    const FieldDecl* field = dataset->FindColumn(column);
    if (field == nullptr && column.empty()) {
      // A trailing comma, or two together: say which column, since it has no name.
      problems.Add(1, "header", "column " + std::to_string(i + 1) + " has no name");
    } else if (field == nullptr) {
      problems.Add(1, column,
                   "is not a column of " + std::string(dataset->name) + " (expected " +
                       Join(dataset->Columns()) + ")");
    }
    fields.push_back(field);
  }
  return problems.any() ? nullptr : dataset;
}

}  // namespace

ParsedImport ParseImport(std::string_view content, const DatasetDecl* wanted,
                         const ImportSettings& settings) {
  ParsedImport out;
  Problems problems(out, settings.max_problems);
  CsvReader reader(content);
  CsvRecord header;
  if (!reader.Next(header)) {
    if (reader.failed()) {
      problems.Add(reader.error().line, "header", reader.error().reason);
    } else {
      problems.Add(1, "header", "the file is empty");
    }
    return out;
  }
  std::vector<const FieldDecl*> fields;
  const DatasetDecl* dataset = MatchHeader(header.fields, wanted, fields, problems);
  if (dataset == nullptr) return out;
  out.dataset = dataset;
  bool is_workforce = dataset == &datasets::Workforce();

  std::map<std::string, std::vector<FieldMap>> by_period;
  std::map<std::string, std::size_t> first_line_of_key;
  std::map<std::string, Person> people;
  // Takes one complete record, unless it repeats one already taken.
  auto take = [&](std::size_t line, FieldMap values, const Person* person) {
    std::string key = RecordKey(*dataset, values);
    auto [it, inserted] = first_line_of_key.emplace(key, line);
    if (!inserted) {
      problems.Add(line, "row",
                   "repeats the record on line " + std::to_string(it->second) +
                       (is_workforce ? " (the same person in the same month)"
                                     : " (every column but the count is the same)"));
      return;
    }
    if (person != nullptr) people[person->person_key] = *person;
    by_period[RecordPeriod(*dataset, values)].push_back(std::move(values));
  };
  // Workforce rows wait for their person keys, made together once every row
  // is read (one request to the server for the people it has not keyed).
  struct WaitingRow {
    std::size_t line;
    FieldMap values;
    std::string identity;
  };
  std::vector<WaitingRow> waiting;
  CsvRecord row;
  while (reader.Next(row)) {
    ++out.rows;
    if (settings.progress && out.rows % 10'000 == 0) {
      settings.progress(std::to_string(out.rows) + " rows read and checked");
    }
    if (row.fields.size() != fields.size()) {
      problems.Add(row.line, "row",
                   "has " + std::to_string(row.fields.size()) + " fields but the header has " +
                       std::to_string(fields.size()));
      continue;
    }
    FieldMap values;
    bool row_ok = true;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      std::string normalised;
      std::string reason = CheckField(*fields[i], row.fields[i], normalised);
      if (!reason.empty()) {
        problems.Add(row.line, header.fields[i], reason);
        row_ok = false;
      }
      values[std::string(fields[i]->name)] = normalised;
    }
    if (!row_ok) continue;
    const FieldDecl& practice_field = *dataset->Find(dataset->practice_field);
    if (values[std::string(practice_field.name)] != settings.practice) {
      problems.Add(row.line, std::string(practice_field.column),
                   "names practice " + values[std::string(practice_field.name)] +
                       ", but this agent is enrolled for " + settings.practice);
      continue;
    }
    if (!is_workforce) {
      take(row.line, std::move(values), nullptr);
      continue;
    }
    RecordProblem problem;
    std::optional<std::string> identity = IdentityOf(values, problem);
    if (!identity) {
      problems.Add(row.line, problem.column, problem.reason);
      continue;
    }
    waiting.push_back({row.line, std::move(values), std::move(*identity)});
  }
  if (reader.failed()) {
    problems.Add(reader.error().line, "row", reader.error().reason);
  }
  if (problems.any()) return out;
  if (!waiting.empty()) {
    if (settings.person_keys == nullptr) {
      throw Error::Internal("a workforce import needs a PersonKeyer");
    }
    std::vector<std::string> identities;
    for (const WaitingRow& w : waiting) identities.push_back(w.identity);
    std::vector<std::string> keys = settings.person_keys->KeysFor(identities);
    for (std::size_t i = 0; i < waiting.size(); ++i) {
      Person person;
      if (auto problem = CompleteWorkforceRecord(waiting[i].values, keys.at(i), person)) {
        problems.Add(waiting[i].line, problem->column, problem->reason);
        continue;
      }
      take(waiting[i].line, std::move(waiting[i].values), &person);
    }
  }
  if (problems.any()) return out;
  if (out.rows == 0) {
    problems.Add(1, "header", "the file has a header but no rows");
    return out;
  }
  for (auto& [period, records] : by_period) {
    out.periods.push_back({period, std::move(records)});
  }
  for (auto& [key, person] : people) out.people.push_back(std::move(person));
  return out;
}

}  // namespace tributary::agent
