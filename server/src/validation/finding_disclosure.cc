#include "validation/finding_disclosure.h"

#include <cstdio>

namespace tributary::server {
namespace {

std::string Format(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

std::string Join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& i : items) text += (text.empty() ? "" : ", ") + i;
  return text;
}

std::string Count(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string FteReason(const PersonInvolvement& p, const NamedOrganisation& named) {
  double total = 0, named_fte = 0;
  std::vector<std::string> shown;
  for (const auto& [practice, fte] : p.fte_by_practice) {
    total += fte;
    if (named(practice)) {
      shown.push_back(practice);
      named_fte += fte;
    }
  }
  std::string person = "person " + p.handle;
  std::size_t others = p.fte_by_practice.size() - shown.size();
  if (others == 0)
    return person + " works " + Format(total) + " FTE in total across " + Join(shown);
  std::string text = person + " works more than 1.0 FTE in total across " +
                     Count(p.fte_by_practice.size(), "practice", "practices");
  if (!shown.empty()) {
    text += ": " + Format(named_fte) + " FTE at " + Join(shown) + ", the rest at " +
            Count(others, "other practice", "other practices");
  }
  return text;
}

std::string ArrsReason(const PersonInvolvement& p, const NamedOrganisation& named) {
  std::vector<std::string> shown;
  for (const std::string& employer : p.employers) {
    if (named(employer)) shown.push_back(employer);
  }
  std::string person = "person " + p.handle;
  std::size_t others = p.employers.size() - shown.size();
  if (others == 0) return person + " is ARRS-funded by " + Join(shown) + " in the same month";
  std::string text = person + " is ARRS-funded by " +
                     Count(p.employers.size(), "employer", "employers") + " in the same month";
  if (!shown.empty()) {
    text += ": " + Join(shown) + " and " + Count(others, "other", "others");
  }
  return text;
}

}  // namespace

bool EveryOrganisation(const std::string&) { return true; }

std::string TellReason(const CrossPracticeFinding& finding, const NamedOrganisation& named) {
  if (!finding.person) return finding.reason;
  if (finding.rule == "workforce.arrs_two_employers") return ArrsReason(*finding.person, named);
  return FteReason(*finding.person, named);
}

std::string TellFinding(const CrossPracticeFinding& finding, const NamedOrganisation& named) {
  return TellReason(finding, named) + " [" + finding.rule + "]";
}

FindingsByReturn TellPractices(const FindingsOfMonth& findings) {
  FindingsByReturn out;
  for (const auto& [practice, by_dataset] : findings) {
    auto only_itself = [&practice = practice](const std::string& code) { return code == practice; };
    for (const auto& [dataset, list] : by_dataset) {
      for (const CrossPracticeFinding& f : list) {
        out[practice][dataset].push_back(TellFinding(f, only_itself));
      }
    }
  }
  return out;
}

std::vector<std::string> TellReturn(const FindingsOfMonth& findings, const std::string& practice,
                                    const std::string& dataset, const NamedOrganisation& named) {
  std::vector<std::string> out;
  auto p = findings.find(practice);
  if (p == findings.end()) return out;
  auto d = p->second.find(dataset);
  if (d == p->second.end()) return out;
  for (const CrossPracticeFinding& f : d->second) out.push_back(TellFinding(f, named));
  return out;
}

}  // namespace tributary::server
