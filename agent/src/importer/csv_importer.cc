#include "importer/csv_importer.h"

#include <algorithm>
#include <map>
#include <set>

#include "importer/problem_list.h"
#include "importer/profile_translator.h"
#include "importer/workforce_record.h"
#include "tributary/common/csv_reader.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"

namespace tributary::agent {
namespace {

using RowSource = std::function<bool(CsvRecord&)>;

std::string Join(const std::vector<std::string_view>& words) {
  std::string text;
  for (auto w : words) text += (text.empty() ? "" : ", ") + std::string(w);
  return text;
}

// The dataset whose own header this is (the same columns, in any order).
const DatasetDecl* NativeDataset(const std::vector<std::string>& header,
                                 const DatasetDecl* wanted) {
  std::set<std::string_view> given(header.begin(), header.end());
  for (const DatasetDecl* d : datasets::All()) {
    if (wanted != nullptr && d != wanted) continue;
    auto columns = d->Columns();
    if (columns.size() == header.size() &&
        std::all_of(columns.begin(), columns.end(),
                    [&given](std::string_view c) { return given.count(c) > 0; })) {
      return d;
    }
  }
  return nullptr;
}

// Maps each header column to its field, or reports why the header does not fit.
bool MatchHeader(const std::vector<std::string>& header, const DatasetDecl& dataset,
                 std::vector<const FieldDecl*>& fields, ProblemList& problems) {
  std::set<std::string_view> given(header.begin(), header.end());
  if (given.size() != header.size()) {
    problems.Add(1, "header", "a column appears twice");
    return false;
  }
  for (std::string_view column : dataset.Columns()) {
    if (given.count(column) == 0) {
      problems.Add(1, std::string(column), "column is missing from the header");
    }
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& column = header[i];
    const FieldDecl* field = dataset.FindColumn(column);
    if (field == nullptr && column.empty()) {
      // A trailing comma, or two together: say which column, since it has no name.
      problems.Add(1, "header", "column " + std::to_string(i + 1) + " has no name");
    } else if (field == nullptr) {
      problems.Add(1, column,
                   "is not a column of " + std::string(dataset.name) + " (expected " +
                       Join(dataset.Columns()) + ")");
    }
    fields.push_back(field);
  }
  return !problems.any();
}

// Checks, keys and groups by month every row in the dataset's own shape.
class RowChecker {
 public:
  RowChecker(const DatasetDecl& dataset, const ImportSettings& settings, ParsedImport& out,
             ProblemList& problems)
      : dataset_(dataset),
        settings_(settings),
        out_(out),
        problems_(problems),
        is_workforce_(&dataset == &datasets::Workforce()),
        by_day_(dataset.Find(dataset.period_field)->type == FieldType::kDate) {}

  void Check(const std::vector<std::string>& header, const std::vector<const FieldDecl*>& fields,
             const RowSource& next, bool count_rows) {
    CsvRecord row;
    while (next(row)) {
      if (count_rows && ++out_.rows % 10'000 == 0 && settings_.progress) {
        settings_.progress(std::to_string(out_.rows) + " rows read and checked");
      }
      if (row.fields.size() != fields.size()) {
        problems_.Add(row.line, "row",
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
          problems_.Add(row.line, header[i], reason);
          row_ok = false;
        }
        values[std::string(fields[i]->name)] = normalised;
      }
      if (row_ok) Accept(row.line, std::move(values));
    }
  }

  // The file covers these dates too (rows it passed over): widen what it replaces.
  void Cover(const std::string& first, const std::string& last) {
    if (!first.empty() && (first_date_.empty() || first < first_date_)) first_date_ = first;
    if (last > last_date_) last_date_ = last;
  }

  // Keys the workforce rows (once, all together) and hands the records over.
  void Finish() {
    if (problems_.any()) return;
    if (!waiting_.empty()) {
      if (settings_.person_keys == nullptr) {
        throw Error::Internal("a workforce import needs a PersonKeyer");
      }
      std::vector<std::string> identities;
      for (const WaitingRow& w : waiting_) identities.push_back(w.identity);
      std::vector<std::string> keys = settings_.person_keys->KeysFor(identities);
      for (std::size_t i = 0; i < waiting_.size(); ++i) {
        Person person;
        if (auto problem = CompleteWorkforceRecord(waiting_[i].values, keys.at(i), person)) {
          problems_.Add(waiting_[i].line, problem->column, problem->reason);
          continue;
        }
        Take(waiting_[i].line, std::move(waiting_[i].values), &person);
      }
    }
    if (problems_.any()) return;
    if (by_day_ && !first_date_.empty()) {
      // Every month the dates span is replaced, one with no rows left too.
      for (Period m = *ParsePeriod(first_date_.substr(0, 7));
           m <= *ParsePeriod(last_date_.substr(0, 7));
           m = m.month == 12 ? Period{m.year + 1, 1} : Period{m.year, m.month + 1}) {
        by_period_[m.ToString()];
      }
    }
    for (auto& [period, records] : by_period_) {
      PeriodReplacement replacement{period, std::move(records), "", ""};
      if (by_day_) {
        replacement.first_date = first_date_;
        replacement.last_date = last_date_;
      }
      out_.records += replacement.records.size();
      out_.periods.push_back(std::move(replacement));
    }
    if (by_day_) {
      out_.first_date = first_date_;
      out_.last_date = last_date_;
    }
    for (auto& [key, person] : people_) out_.people.push_back(std::move(person));
  }

 private:
  struct WaitingRow {
    std::size_t line;
    FieldMap values;
    std::string identity;
  };

  void Accept(std::size_t line, FieldMap values) {
    const FieldDecl& practice_field = *dataset_.Find(dataset_.practice_field);
    const std::string& practice = values[std::string(practice_field.name)];
    if (practice != settings_.practice) {
      problems_.Add(
          line, std::string(practice_field.column),
          "names practice " + practice + ", but this agent is enrolled for " + settings_.practice);
      return;
    }
    if (!is_workforce_) {
      Take(line, std::move(values), nullptr);
      return;
    }
    // Workforce rows wait for their person keys, made together once every row is read.
    RecordProblem problem;
    std::optional<std::string> identity = IdentityOf(values, problem);
    if (!identity) {
      problems_.Add(line, problem.column, problem.reason);
      return;
    }
    waiting_.push_back({line, std::move(values), std::move(*identity)});
  }

  // Takes one complete record, unless it repeats one already taken.
  void Take(std::size_t line, FieldMap values, const Person* person) {
    std::string key = RecordKey(dataset_, values);
    auto [it, inserted] = first_line_of_key_.emplace(key, line);
    if (!inserted) {
      problems_.Add(line, "row",
                    "repeats the record on line " + std::to_string(it->second) +
                        (is_workforce_ ? " (the same person in the same month)"
                                       : " (every column but the count is the same)"));
      return;
    }
    if (person != nullptr) people_[person->person_key] = *person;
    if (by_day_) {
      const std::string& date = values.find(dataset_.period_field)->second;
      if (first_date_.empty() || date < first_date_) first_date_ = date;
      if (date > last_date_) last_date_ = date;
    }
    by_period_[RecordPeriod(dataset_, values)].push_back(std::move(values));
  }

  const DatasetDecl& dataset_;
  const ImportSettings& settings_;
  ParsedImport& out_;
  ProblemList& problems_;
  const bool is_workforce_;
  const bool by_day_;  // the dataset's records fall on days: a file replaces its first to last
  std::map<std::string, std::vector<FieldMap>> by_period_;
  std::map<std::string, std::size_t> first_line_of_key_;
  std::map<std::string, Person> people_;
  std::vector<WaitingRow> waiting_;
  std::string first_date_, last_date_;
};

// The profile the file is to be read through, or nullptr for the dataset's
// own shape (`native`); problems say why neither.
const ImportProfile* ChooseProfile(const std::vector<std::string>& header,
                                   const DatasetDecl* wanted, const ImportSettings& settings,
                                   const DatasetDecl*& native, ProblemList& problems) {
  if (!settings.profile.empty()) {
    const ImportProfile* named =
        settings.profiles ? settings.profiles->Find(settings.profile) : nullptr;
    if (named == nullptr) {
      problems.Add(1, "header",
                   "there is no import profile named " + settings.profile +
                       " ('tributary-agent profile list')");
    }
    return named;
  }
  native = NativeDataset(header, wanted);
  if (native != nullptr || settings.profiles == nullptr) {
    if (native == nullptr) native = wanted;
    if (native == nullptr) {
      problems.Add(1, "header",
                   "the columns match no dataset; expected those of workforce, appointments or "
                   "list_size (docs/data.md gives each header), or name one with --dataset");
    }
    return nullptr;
  }
  ProfileLibrary::Choice choice = settings.profiles->Choose(header, wanted);
  if (choice.profile == nullptr) {
    // Near Tributary's own shape? Say what is wrong with it, column by column.
    if (wanted != nullptr) {
      native = wanted;
      return nullptr;
    }
    problems.Add(1, "header", choice.problem);
  }
  return choice.profile;
}

}  // namespace

bool IsPatientLevel(std::string_view content, const ImportSettings& settings) {
  CsvReader reader(content);
  CsvRecord header;
  if (!reader.Next(header)) return false;
  std::vector<FileProblem> listed;
  std::size_t not_listed = 0;
  ProblemList problems(listed, not_listed, 1);
  const DatasetDecl* native = nullptr;
  const ImportProfile* profile = ChooseProfile(header.fields, nullptr, settings, native, problems);
  return profile != nullptr && profile->rows == ProfileRows::kAppointments;
}

ParsedImport ParseImport(std::string_view content, const DatasetDecl* wanted,
                         const ImportSettings& settings) {
  ParsedImport out;
  ProblemList problems(out.problems, out.problems_not_listed, settings.max_problems);
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
  const DatasetDecl* native = nullptr;
  const ImportProfile* profile = ChooseProfile(header.fields, wanted, settings, native, problems);
  if (problems.any()) return out;
  RowSource from_file = [&reader](CsvRecord& row) { return reader.Next(row); };
  if (profile == nullptr) {
    std::vector<const FieldDecl*> fields;
    if (!MatchHeader(header.fields, *native, fields, problems)) return out;
    out.dataset = native;
    RowChecker checker(*native, settings, out, problems);
    checker.Check(header.fields, fields, from_file, true);
    if (reader.failed()) problems.Add(reader.error().line, "row", reader.error().reason);
    checker.Finish();
  } else {
    if (wanted != nullptr && profile->dataset != wanted) {
      problems.Add(1, "header",
                   "import profile " + profile->name + " reads " +
                       std::string(profile->dataset->name) + ", not " + std::string(wanted->name));
      return out;
    }
    std::vector<std::string> missing;
    FindColumns(header.fields, profile->SourceColumns(), missing);
    for (const std::string& column : missing) {
      problems.Add(
          1, column,
          "column is missing from the header (import profile " + profile->name + " reads it)");
    }
    if (problems.any()) return out;
    out.dataset = profile->dataset;
    out.profile = profile->name;
    out.patient_level = profile->rows == ProfileRows::kAppointments;
    TranslatedRows translated = TranslateRows(
        *profile, header.fields, from_file, settings.practice, problems, [&](std::size_t rows) {
          if (settings.progress) settings.progress(std::to_string(rows) + " rows read and mapped");
        });
    if (reader.failed()) problems.Add(reader.error().line, "row", reader.error().reason);
    out.rows = translated.source_rows;
    out.rows_passed_over = translated.skipped_rows;
    out.unread_columns = translated.unread_columns;
    if (problems.any()) return out;
    std::vector<std::string> columns;
    std::vector<const FieldDecl*> fields;
    for (std::string_view c : profile->dataset->Columns()) {
      // Problems name the export's column where it has one.
      std::string source = profile->ColumnFor(c);
      columns.push_back(source.empty() ? std::string(c) : source);
      fields.push_back(profile->dataset->FindColumn(c));
    }
    std::size_t next = 0;
    RowSource translated_rows = [&](CsvRecord& row) {
      if (next == translated.rows.size()) return false;
      row = std::move(translated.rows[next++]);
      return true;
    };
    RowChecker checker(*profile->dataset, settings, out, problems);
    checker.Check(columns, fields, translated_rows, false);
    checker.Cover(translated.covered_first, translated.covered_last);
    checker.Finish();
  }
  if (problems.any()) return out;
  if (out.rows == 0) {
    problems.Add(1, "header", "the file has a header but no rows");
  } else if (out.records == 0) {
    problems.Add(1, "header",
                 "none of the file's " + std::to_string(out.rows) +
                     " rows is for this practice's return (import profile " + out.profile +
                     " passed them all over)");
  }
  return out;
}

}  // namespace tributary::agent
