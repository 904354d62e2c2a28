// NHS code lists (docs/data.md). Values are matched exactly, including their odd
// spacing ("8  to 14 Days"). The lists are data, declared in one table in
// code_lists.cc, because they change every year.
#pragma once

#include <string_view>
#include <vector>

namespace tributary {

struct CodeList {
  std::string_view name;
  std::vector<std::string_view> values;

  bool Contains(std::string_view value) const;
};

namespace codes {
const CodeList& HcpType();
const CodeList& AppointmentMode();
const CodeList& AppointmentStatus();
const CodeList& BookingInterval();
const CodeList& NationalCategory();
const CodeList& StaffGroup();
const CodeList& StaffRole();
const CodeList& EmployerType();
const CodeList& Funding();
// The datasets a practice returns each month (the names of datasets::All()).
const CodeList& ReturnDataset();
const CodeList& RegistrationBody();
// Roles reimbursable under the Additional Roles Reimbursement Scheme.
const CodeList& ArrsRole();
// The NWRS staff group a STAFF_ROLE belongs to; "" for a value not a role.
std::string_view StaffGroupOf(std::string_view role);
}  // namespace codes

}  // namespace tributary
