#include "importer/profile_translator.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include "importer/date_format.h"
#include "importer/nearest_code.h"

namespace tributary::agent {
namespace {

constexpr std::size_t kNoColumn = SIZE_MAX;
constexpr std::string_view kCountColumn = "COUNT_OF_APPOINTMENTS";
constexpr std::string_view kIntervalColumn = "TIME_BETWEEN_BOOK_AND_APPT";
// COUNT_OF_APPOINTMENTS's most (common/src/dataset.cc): a row over it is refused, never summed.
constexpr std::uint64_t kMostPerRow = 1'000'000'000;

// Days since 1970-01-01 of a (valid) date: the proleptic Gregorian count.
std::int64_t DayNumber(const Date& date) {
  std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t year_of_era = y - era * 400;
  std::int64_t m = date.month;
  std::int64_t day_of_year = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// NHS England's TIME_BETWEEN_BOOK_AND_APPT for a gap of `days`.
std::string BookingInterval(std::int64_t days) {
  if (days < 0) return "Unknown / Data Quality";
  if (days == 0) return "Same Day";
  if (days == 1) return "1 Day";
  if (days <= 7) return "2 to 7 Days";
  if (days <= 14) return "8  to 14 Days";
  if (days <= 21) return "15  to 21 Days";
  if (days <= 28) return "22  to 28 Days";
  return "More than 28 Days";
}

std::string Trim(const std::string& text) {
  std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

class Translator {
 public:
  Translator(const ImportProfile& profile, const std::vector<std::string>& header,
             const std::string& practice, ProblemList& problems)
      : profile_(profile), header_(header), practice_(practice), problems_(problems) {
    std::vector<std::string> missing;
    std::vector<std::size_t> at = FindColumns(header, profile.SourceColumns(), missing);
    for (std::size_t i = 0; i < profile.columns.size(); ++i) {
      const auto& [column, source] = profile.columns[i];
      const FieldDecl* field = profile.dataset->FindColumn(column);
      bool is_date = column == kBookedDateColumn || (field && field->type == FieldType::kDate);
      columns_.push_back({column, source, at[i], field, is_date});
    }
    // The column that places a record on a day, for a dataset counted by day.
    const FieldDecl* period = profile.dataset->Find(profile.dataset->period_field);
    for (const Column& c : columns_) {
      if (period->type == FieldType::kDate && c.field == period) date_column_ = &c;
    }
    for (std::size_t i = 0; i < profile.keep_rows_where.size(); ++i) {
      keep_.push_back({at[profile.columns.size() + i], Fold(profile.keep_rows_where[i].second)});
    }
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (std::find(at.begin(), at.end(), i) == at.end()) out_.unread_columns.push_back(header[i]);
    }
  }

  void Take(const CsvRecord& row) {
    ++out_.source_rows;
    if (row.fields.size() != header_.size()) {
      problems_.Add(row.line, "row",
                    "has " + std::to_string(row.fields.size()) + " fields but the header has " +
                        std::to_string(header_.size()));
      return;
    }
    for (const auto& [index, value] : keep_) {
      if (Fold(row.fields[index]) != value) {
        ++out_.skipped_rows;
        return;
      }
    }
    std::map<std::string, std::string> values;
    bool ok = true;
    for (const Column& c : columns_) {
      std::string raw = Trim(row.fields[c.index]);
      if (auto skip = profile_.skip_values.find(c.tributary); skip != profile_.skip_values.end()) {
        if (std::find(skip->second.begin(), skip->second.end(), Fold(raw)) != skip->second.end()) {
          ++out_.skipped_rows;
          NoteCovered(row);
          return;
        }
      }
      ok = Convert(c, raw, row.line, values[c.tributary]) && ok;
    }
    if (!ok) return;
    for (const auto& [column, value] : profile_.defaults) {
      values[column] = value == "{practice}" ? practice_ : value;
    }
    std::string practice_column(profile_.dataset->Find(profile_.dataset->practice_field)->column);
    if (profile_.skip_other_practices && Fold(values[practice_column]) != Fold(practice_)) {
      ++out_.skipped_rows;
      return;
    }
    if (values.count("STAFF_GROUP") == 0 && values.count("STAFF_ROLE") > 0) {
      values["STAFF_GROUP"] = std::string(codes::StaffGroupOf(values["STAFF_ROLE"]));
    }
    if (profile_.rows == ProfileRows::kAppointments) {
      if (values.count(std::string(kIntervalColumn)) == 0) {
        const std::string& booked = values[std::string(kBookedDateColumn)];
        auto appointment = ParseDate(values["APPOINTMENT_DATE"]);
        auto when_booked = ParseDate(booked);
        values[std::string(kIntervalColumn)] =
            appointment && when_booked
                ? BookingInterval(DayNumber(*appointment) - DayNumber(*when_booked))
                : "Unknown / Data Quality";
      }
      values[std::string(kCountColumn)] = "1";
    }
    Emit(row.line, values);
  }

  TranslatedRows Finish() {
    for (auto& [key, at] : sums_) {
      out_.rows[at.index].fields[count_position_] = std::to_string(at.count);
    }
    return std::move(out_);
  }

 private:
  struct Column {
    std::string tributary;
    std::string source;
    std::size_t index;
    const FieldDecl* field;
    bool is_date;
  };
  struct Sum {
    std::size_t index;  // in out_.rows
    std::uint64_t count;
  };

  // The export's value as Tributary writes it, or false with the problem added.
  bool Convert(const Column& c, const std::string& raw, std::size_t line, std::string& out) {
    const std::string& source = c.source;
    if (raw.empty()) {
      out.clear();
      return true;  // required or not, the dataset's own check says
    }
    if (c.is_date) {
      for (const std::string& pattern : profile_.date_formats) {
        if (auto date = ParseDateAs(pattern, raw)) {
          out = date->ToString();
          return true;
        }
      }
      std::string formats;
      for (const std::string& f : profile_.date_formats)
        formats += (formats.empty() ? "" : " or ") + f;
      problems_.Add(line, source, "'" + raw + "' is not a date written " + formats);
      return false;
    }
    if (c.field != nullptr && c.field->type == FieldType::kPeriod && !ParsePeriod(raw)) {
      // A month written as a date, or as "Oct-2026", "October 2026", "10/2026".
      std::vector<std::string> patterns = profile_.date_formats;
      for (const char* month : {"MMM-yyyy", "MMM yyyy", "MMMM yyyy", "mm/yyyy", "MMM-yy"}) {
        patterns.push_back(std::string("d ") + month);
      }
      for (std::size_t i = 0; i < patterns.size(); ++i) {
        bool month_only = i >= profile_.date_formats.size();
        if (auto date = ParseDateAs(patterns[i], month_only ? "1 " + raw : raw)) {
          out = date->ToString().substr(0, 7);
          return true;
        }
      }
      problems_.Add(line, source, "'" + raw + "' is not a month (2026-10, Oct-2026 or a date)");
      return false;
    }
    if (c.field == nullptr || c.field->codes == nullptr) {
      out = raw;
      return true;
    }
    const CodeList& codes = *c.field->codes;
    std::string folded = Fold(raw);
    if (auto map = profile_.values.find(c.tributary); map != profile_.values.end()) {
      if (auto it = map->second.find(folded); it != map->second.end()) {
        out = it->second;
        return true;
      }
    }
    for (std::string_view code : codes.values) {
      if (code == raw || Fold(code) == folded) {
        out = std::string(code);
        return true;
      }
    }
    // The nearest of the codes and of the words the profile already maps.
    std::vector<std::string> candidates(codes.values.begin(), codes.values.end());
    const std::map<std::string, std::string>* known = nullptr;
    if (auto map = profile_.values.find(c.tributary); map != profile_.values.end()) {
      known = &map->second;
      for (const auto& [word, code] : map->second) candidates.push_back(word);
    }
    std::string near = NearestOf(raw, candidates);
    std::string suggestion;
    if (!near.empty()) {
      suggestion = " (nearest: '" + near + "'";
      if (known != nullptr && known->count(near) > 0) suggestion += ", which is " + known->at(near);
      suggestion += ")";
    }
    problems_.Add(line, source,
                  "'" + raw + "' is not mapped to a code of " + std::string(codes.name) +
                      suggestion + "; add it to [values." + c.tributary + "] of profile " +
                      profile_.name);
    return false;
  }

  // Widens the dates covered by this row's date, when it has one that reads.
  void Cover(const std::string& iso) {
    if (iso.empty()) return;
    if (out_.covered_first.empty() || iso < out_.covered_first) out_.covered_first = iso;
    if (iso > out_.covered_last) out_.covered_last = iso;
  }
  void NoteCovered(const CsvRecord& row) {
    if (date_column_ == nullptr) return;
    for (const std::string& pattern : profile_.date_formats) {
      if (auto date = ParseDateAs(pattern, row.fields[date_column_->index])) {
        Cover(date->ToString());
        return;
      }
    }
  }

  void Emit(std::size_t line, std::map<std::string, std::string>& values) {
    if (date_column_ != nullptr) Cover(values[date_column_->tributary]);
    CsvRecord record;
    record.line = line;
    std::string key;
    bool summed = profile_.rows != ProfileRows::kRecords;
    std::size_t position = 0;
    for (std::string_view column : profile_.dataset->Columns()) {
      std::string& value = values[std::string(column)];
      if (column == kCountColumn) {
        count_position_ = position;
      } else {
        key += value;
        key.push_back('\x1f');
      }
      record.fields.push_back(std::move(value));
      ++position;
    }
    if (!summed) {
      out_.rows.push_back(std::move(record));
      return;
    }
    const std::string& count_text = record.fields[count_position_];
    std::uint64_t count = 0;
    // A count the dataset would refuse (not a whole number, or over its most)
    // is not summed: the dataset's own check names it, on this line.
    bool whole = !count_text.empty() && count_text.size() <= 10 &&
                 count_text.find_first_not_of("0123456789") == std::string::npos &&
                 std::stoull(count_text) <= kMostPerRow;
    if (!whole) {
      out_.rows.push_back(std::move(record));
      return;
    }
    count = std::stoull(count_text);
    auto [it, inserted] = sums_.try_emplace(std::move(key), Sum{out_.rows.size(), count});
    if (inserted) {
      out_.rows.push_back(std::move(record));
    } else {
      it->second.count += count;
    }
  }

  const ImportProfile& profile_;
  const std::vector<std::string>& header_;
  const std::string& practice_;
  ProblemList& problems_;
  std::vector<Column> columns_;
  std::vector<std::pair<std::size_t, std::string>> keep_;  // header index, folded value
  std::map<std::string, Sum> sums_;
  const Column* date_column_ = nullptr;  // in columns_, which never changes once made
  std::size_t count_position_ = 0;
  TranslatedRows out_;
};

}  // namespace

std::vector<std::size_t> FindColumns(const std::vector<std::string>& header,
                                     const std::vector<std::string>& wanted,
                                     std::vector<std::string>& missing) {
  std::vector<std::string> folded;
  for (const std::string& h : header) folded.push_back(Fold(h));
  std::vector<std::size_t> at;
  for (const std::string& w : wanted) {
    auto it = std::find(folded.begin(), folded.end(), Fold(w));
    if (it == folded.end()) {
      missing.push_back(w);
      at.push_back(kNoColumn);
    } else {
      at.push_back(static_cast<std::size_t>(it - folded.begin()));
    }
  }
  return at;
}

TranslatedRows TranslateRows(const ImportProfile& profile, const std::vector<std::string>& header,
                             const std::function<bool(CsvRecord&)>& next,
                             const std::string& practice, ProblemList& problems,
                             const std::function<void(std::size_t rows)>& progress) {
  Translator translator(profile, header, practice, problems);
  CsvRecord row;
  std::size_t read = 0;
  while (next(row)) {
    translator.Take(row);
    if (progress && ++read % 10'000 == 0) progress(read);
  }
  return translator.Finish();
}

}  // namespace tributary::agent
