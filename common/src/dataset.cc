#include "tributary/common/dataset.h"

#include <charconv>
#include <cstdio>

#include "tributary/common/dates.h"
#include "tributary/common/ods_code.h"
#include "tributary/common/record_rules.h"

namespace tributary {
namespace {

constexpr double kHoursPerFte = 37.5;

FieldDecl Key(std::string_view name, std::string_view column, FieldType type,
              const CodeList* codes = nullptr) {
  return FieldDecl{name, column, type, codes, true, true, false, 0, 0, "", ""};
}

FieldDecl Required(std::string_view name, std::string_view column, FieldType type,
                   const CodeList* codes = nullptr) {
  return FieldDecl{name, column, type, codes, true, false, false, 0, 0, "", ""};
}

FieldDecl Optional(std::string_view name, std::string_view column, FieldType type,
                   const CodeList* codes = nullptr) {
  return FieldDecl{name, column, type, codes, false, false, false, 0, 0, "", ""};
}

// What the data dictionary says of the field.
FieldDecl Means(FieldDecl field, std::string_view definition, std::string_view unit = "") {
  field.definition = definition;
  field.unit = unit;
  return field;
}

FieldDecl LocalOnly(FieldDecl field) {
  field.local_only = true;
  return field;
}

FieldDecl Range(FieldDecl field, double min, double max) {
  field.min = min;
  field.max = max;
  return field;
}

// Canonical decimal: at most 4 places, no trailing zeros ("30.0" -> "30").
std::string FormatDecimal(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string CheckNumber(const FieldDecl& field, std::string_view raw, bool integer,
                        std::string& normalised) {
  double value = 0;
  const char* end = raw.data() + raw.size();
  auto [ptr, ec] = std::from_chars(raw.data(), end, value, std::chars_format::fixed);
  bool digits_only = raw.find_first_not_of("0123456789") == std::string_view::npos;
  if (ec != std::errc() || ptr != end || (integer && !digits_only)) {
    return "'" + std::string(raw) + "' is not " + (integer ? "a whole number" : "a number");
  }
  if (value < field.min || (field.max > 0 && value > field.max)) {
    return std::string(raw) + " is outside " + FormatDecimal(field.min) + " to " +
           (field.max > 0 ? FormatDecimal(field.max) : "unbounded");
  }
  normalised = integer
                   ? std::string(raw.substr(std::min(raw.find_first_not_of('0'), raw.size() - 1)))
                   : FormatDecimal(value);
  return "";
}

DatasetDecl MakeWorkforce() {
  DatasetDecl d;
  d.name = "workforce";
  d.practice_field = "practice";
  d.period_field = "period";
  d.fields = {
      Means(Key("practice", "PRACTICE_CODE", FieldType::kPracticeCode), "The practice's ODS code."),
      Means(Key("period", "PERIOD", FieldType::kPeriod),
            "The month the snapshot describes, YYYY-MM."),
      Means(LocalOnly(Required("staff_id", "STAFF_ID", FieldType::kText)),
            "The practice's own id for the person. Stays at the practice."),
      Means(LocalOnly(Optional("given_name", "GIVEN_NAME", FieldType::kText)),
            "The person's given name. Stays at the practice."),
      Means(LocalOnly(Optional("family_name", "FAMILY_NAME", FieldType::kText)),
            "The person's family name. Stays at the practice."),
      Means(LocalOnly(Optional("registration_body", "REGISTRATION_BODY", FieldType::kCode,
                               &codes::RegistrationBody())),
            "The professional register the person is on. Stays at the practice."),
      Means(LocalOnly(Optional("registration_number", "REGISTRATION_NUMBER", FieldType::kText)),
            "The person's number on that register. Stays at the practice."),
      Means(Key("person_key", "", FieldType::kPersonKey),
            "A pseudonymous key of the person, made from REGISTRATION_BODY:REGISTRATION_NUMBER, "
            "else EMPLOYER_CODE:EMPLOYER_STAFF_ID, with an oblivious PRF (RFC 9497) whose key "
            "only the server holds: the same person has the same key at every practice of the "
            "ICS, the server never sees who they are, and no one without the server's key can "
            "tell a key's person"),
      Means(Required("staff_group", "STAFF_GROUP", FieldType::kCode, &codes::StaffGroup()),
            "The person's NWRS staff group."),
      Means(Required("staff_role", "STAFF_ROLE", FieldType::kCode, &codes::StaffRole()),
            "The person's NWRS role at the practice."),
      Means(Range(Required("contracted_hours", "CONTRACTED_HOURS", FieldType::kDecimal), 0, 80),
            "Hours a week the person is contracted to work at this practice.", "hours per week"),
      Means(Range(Required("fte", "", FieldType::kDecimal), 0, 80 / kHoursPerFte),
            "Full-time equivalent: contracted hours / 37.5 (NWRS).", "FTE"),
      Means(Required("employer_type", "EMPLOYER_TYPE", FieldType::kCode, &codes::EmployerType()),
            "Who employs the person: the practice, the PCN or another organisation."),
      Means(Required("employer_code", "EMPLOYER_CODE", FieldType::kOrgCode),
            "The employer's ODS code."),
      Means(LocalOnly(Optional("employer_staff_id", "EMPLOYER_STAFF_ID", FieldType::kText)),
            "The employer's own id for the person, the same at every practice they work in. "
            "Stays at the practice."),
      Means(Required("funding", "FUNDING", FieldType::kCode, &codes::Funding()),
            "Who pays: ARRS (the Additional Roles Reimbursement Scheme), the practice, or other."),
      Means(Required("start_date", "START_DATE", FieldType::kDate),
            "When the person started in this role at this practice."),
      Means(Optional("end_date", "END_DATE", FieldType::kDate),
            "When they left it; empty while they are in post."),
  };
  return d;
}

DatasetDecl MakeAppointments() {
  DatasetDecl d;
  d.name = "appointments";
  d.practice_field = "practice";
  d.period_field = "appointment_date";
  d.fields = {
      Means(Key("appointment_date", "APPOINTMENT_DATE", FieldType::kDate),
            "The day the appointments took place."),
      Means(Key("practice", "GP_CODE", FieldType::kPracticeCode), "The practice's ODS code."),
      Means(Key("hcp_type", "HCP_TYPE", FieldType::kCode, &codes::HcpType()),
            "The type of health care professional the appointments were with."),
      Means(Key("appt_mode", "APPT_MODE", FieldType::kCode, &codes::AppointmentMode()),
            "How the appointments took place."),
      Means(Key("appt_status", "APPT_STATUS", FieldType::kCode, &codes::AppointmentStatus()),
            "Whether the patient attended."),
      Means(Key("booking_interval", "TIME_BETWEEN_BOOK_AND_APPT", FieldType::kCode,
                &codes::BookingInterval()),
            "How long before the appointment it was booked."),
      Means(Key("national_category", "NATIONAL_CATEGORY", FieldType::kCode,
                &codes::NationalCategory()),
            "The appointments' national category."),
      Means(Range(Required("count", "COUNT_OF_APPOINTMENTS", FieldType::kCount), 0, 1e9),
            "Appointments that day with these codes.", "appointments"),
  };
  return d;
}

DatasetDecl MakeListSize() {
  DatasetDecl d;
  d.name = "list_size";
  d.practice_field = "practice";
  d.period_field = "extract_date";
  d.fields = {
      Means(Key("extract_date", "EXTRACT_DATE", FieldType::kDate),
            "The day the list was counted; the month's latest extract is its list size."),
      Means(Key("practice", "PRACTICE_CODE", FieldType::kPracticeCode), "The practice's ODS code."),
      Means(Range(Required("patients", "NUMBER_OF_PATIENTS", FieldType::kCount), 0, 1e7),
            "Patients registered at the practice on that day.", "patients"),
  };
  return d;
}

DatasetDecl MakeSubmission() {
  DatasetDecl d;
  d.name = "submission";
  d.practice_field = "practice";
  d.period_field = "period";
  d.fields = {
      Key("practice", "PRACTICE_CODE", FieldType::kPracticeCode),
      Key("dataset", "DATASET", FieldType::kCode, &codes::ReturnDataset()),
      Key("period", "PERIOD", FieldType::kPeriod),
      Required("submitted_at", "SUBMITTED_AT", FieldType::kText),
  };
  return d;
}

}  // namespace

const FieldDecl* DatasetDecl::Find(std::string_view field_name) const {
  for (const auto& f : fields) {
    if (f.name == field_name) return &f;
  }
  return nullptr;
}

const FieldDecl* DatasetDecl::FindColumn(std::string_view column) const {
  for (const auto& f : fields) {
    if (!f.column.empty() && f.column == column) return &f;
  }
  return nullptr;
}

std::vector<std::string_view> DatasetDecl::Columns() const {
  std::vector<std::string_view> columns;
  for (const auto& f : fields) {
    if (!f.column.empty()) columns.push_back(f.column);
  }
  return columns;
}

namespace datasets {

const DatasetDecl& Workforce() {
  static const DatasetDecl d = MakeWorkforce();
  return d;
}

const DatasetDecl& Appointments() {
  static const DatasetDecl d = MakeAppointments();
  return d;
}

const DatasetDecl& ListSize() {
  static const DatasetDecl d = MakeListSize();
  return d;
}

const std::vector<const DatasetDecl*>& All() {
  static const std::vector<const DatasetDecl*> all = {&Workforce(), &Appointments(), &ListSize()};
  return all;
}

const DatasetDecl& Submission() {
  static const DatasetDecl d = MakeSubmission();
  return d;
}

const DatasetDecl* Find(std::string_view name) {
  for (const DatasetDecl* d : All()) {
    if (d->name == name) return d;
  }
  return name == Submission().name ? &Submission() : nullptr;
}

}  // namespace datasets

std::string CheckField(const FieldDecl& field, std::string_view raw, std::string& normalised) {
  if (raw.empty()) {
    normalised.clear();
    return field.required ? "is required" : "";
  }
  switch (field.type) {
    case FieldType::kText:
      normalised = std::string(raw);
      return "";
    case FieldType::kCode:
      if (!field.codes->Contains(raw)) {
        return "'" + std::string(raw) + "' is not a " + std::string(field.codes->name) + " code";
      }
      normalised = std::string(raw);
      return "";
    case FieldType::kDate: {
      auto date = ParseDate(raw);
      if (!date) return "'" + std::string(raw) + "' is not a date (2026-08-03 or 03AUG2026)";
      normalised = date->ToString();
      return "";
    }
    case FieldType::kPeriod:
      if (!ParsePeriod(raw)) return "'" + std::string(raw) + "' is not a month (YYYY-MM)";
      normalised = std::string(raw);
      return "";
    case FieldType::kDecimal:
      return CheckNumber(field, raw, false, normalised);
    case FieldType::kCount:
      return CheckNumber(field, raw, true, normalised);
    case FieldType::kPracticeCode:
      if (!ods::IsPracticeCode(raw)) {
        return "'" + std::string(raw) + "' is not a practice code (a letter and 5 digits)";
      }
      normalised = std::string(raw);
      return "";
    case FieldType::kOrgCode:
      if (!ods::IsOrganisationCode(raw)) {
        return "'" + std::string(raw) + "' is not an ODS organisation code";
      }
      normalised = std::string(raw);
      return "";
    case FieldType::kPersonKey:
      if (raw.size() != 64 || raw.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
        return "is not a person key (64 lower-case hex characters)";
      }
      normalised = std::string(raw);
      return "";
  }
  return "has an unknown type";
}

std::vector<FieldFinding> ValidateWireRecord(const DatasetDecl& dataset, const FieldMap& fields) {
  std::vector<FieldFinding> findings;
  for (const auto& [name, value] : fields) {
    const FieldDecl* field = dataset.Find(name);
    if (field == nullptr) {
      findings.push_back({name, "is not a field of " + std::string(dataset.name)});
    } else if (field->local_only) {
      findings.push_back({name, "identifies a person and must stay at the practice"});
    }
  }
  for (const auto& field : dataset.fields) {
    if (field.local_only) continue;
    auto it = fields.find(field.name);
    std::string_view raw = it == fields.end() ? std::string_view() : std::string_view(it->second);
    std::string normalised;
    std::string reason = CheckField(field, raw, normalised);
    if (!reason.empty()) {
      findings.push_back({std::string(field.name), reason});
    } else if (!raw.empty() && normalised != raw) {
      findings.push_back(
          {std::string(field.name),
           "'" + std::string(raw) + "' is not in canonical form '" + normalised + "'"});
    }
  }
  if (findings.empty() && !ParsePeriod(RecordPeriod(dataset, fields))) {
    findings.push_back({std::string(dataset.period_field), "does not name a month"});
  }
  if (findings.empty()) {
    for (const RuleViolation& v : CheckRecordRules(dataset, fields)) {
      findings.push_back({v.field, v.reason + " [" + v.rule + "]"});
    }
  }
  return findings;
}

std::string RecordKey(const DatasetDecl& dataset, const FieldMap& fields) {
  std::string key;
  for (const auto& field : dataset.fields) {
    if (!field.key) continue;
    if (!key.empty()) key.push_back('|');
    auto it = fields.find(field.name);
    if (it != fields.end()) key += it->second;
  }
  return key;
}

namespace {

// The part of `key` that holds key field `name` ("" when the key has no such part).
std::string_view KeyPart(const DatasetDecl& dataset, std::string_view key, std::string_view name) {
  std::size_t start = 0;
  for (const auto& field : dataset.fields) {
    if (!field.key) continue;
    if (start > key.size()) return {};
    std::size_t bar = key.find('|', start);
    std::string_view part =
        key.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    if (field.name == name) return part;
    if (bar == std::string_view::npos) return {};
    start = bar + 1;
  }
  return {};
}

}  // namespace

std::string KeyPractice(const DatasetDecl& dataset, std::string_view key) {
  return std::string(KeyPart(dataset, key, dataset.practice_field));
}

std::string KeyPeriod(const DatasetDecl& dataset, std::string_view key) {
  std::string_view part = KeyPart(dataset, key, dataset.period_field);
  auto period = ParsePeriod(part.substr(0, 7));
  return period && (part.size() == 7 || ParseDate(part)) ? period->ToString() : std::string();
}

std::string RecordPeriod(const DatasetDecl& dataset, const FieldMap& fields) {
  auto it = fields.find(dataset.period_field);
  if (it == fields.end()) return "";
  return it->second.substr(0, 7);
}

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
          out += buffer;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string CanonicalJson(const FieldMap& fields) {
  std::string out = "{";
  bool first = true;
  for (const auto& [name, value] : fields) {
    if (!first) out.push_back(',');
    first = false;
    out += JsonString(name);
    out.push_back(':');
    out += JsonString(value);
  }
  out.push_back('}');
  return out;
}

std::string FindingsText(const std::vector<FieldFinding>& findings) {
  std::string text;
  for (const FieldFinding& f : findings) {
    if (!text.empty()) text += "; ";
    text += f.field + ": " + f.reason;
  }
  return text;
}

std::string FteFromHours(double hours) { return FormatDecimal(hours / kHoursPerFte); }

}  // namespace tributary
