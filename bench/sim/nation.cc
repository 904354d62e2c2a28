#include "nation.h"

#include <algorithm>
#include <array>
#include <random>

namespace tributary::sim {
namespace {

using Rng = std::mt19937_64;

int Uniform(Rng& rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

std::string Padded(long n, int width) {
  std::string text = std::to_string(n);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(text.size()))),
                     '0') +
         text;
}

constexpr std::array kGivenNames = {"Amira", "Ben",   "Chloe", "Dev",   "Ellis", "Fatima", "George",
                                    "Hana",  "Isaac", "Jia",   "Kwame", "Lena",  "Mo",     "Nia",
                                    "Owen",  "Priya", "Quinn", "Rosa",  "Sam",   "Tomasz", "Una"};
constexpr std::array kFamilyNames = {"Ahmed",  "Brook", "Chen",   "Dale",  "Evans", "Fox",
                                     "Gill",   "Hart",  "Irving", "Jones", "Khan",  "Lowe",
                                     "Moss",   "Nowak", "Okafor", "Patel", "Reed",  "Shah",
                                     "Taylor", "Vale",  "Wright", "Yarrow"};

// A role and the register its holders are on ("" for none).
struct Role {
  const char* group;
  const char* role;
  const char* register_body;
  int weight;  // relative frequency among a practice's own staff
};

// Calibrated loosely on NWRS: about a fifth GPs, a sixth nurses, a quarter
// other direct patient care, the rest admin and non-clinical.
constexpr std::array kPracticeRoles = {
    Role{"GP", "GP Partner", "GMC", 8},
    Role{"GP", "Salaried GP", "GMC", 8},
    Role{"GP", "GP Registrar", "GMC", 3},
    Role{"GP", "Locum GP", "GMC", 2},
    Role{"Nurses", "Practice Nurse", "NMC", 9},
    Role{"Nurses", "Advanced Nurse Practitioner", "NMC", 5},
    Role{"Nurses", "Nursing Associate", "NMC", 2},
    Role{"Direct Patient Care", "Healthcare Assistant", "", 10},
    Role{"Direct Patient Care", "Phlebotomist", "", 6},
    Role{"Direct Patient Care", "Clinical Pharmacist", "GPhC", 3},
    Role{"Admin/Non-Clinical", "Practice Manager", "", 3},
    Role{"Admin/Non-Clinical", "Receptionist", "", 22},
    Role{"Admin/Non-Clinical", "Medical Secretary", "", 8},
    Role{"Admin/Non-Clinical", "Administrator", "", 11}};

// Roles a PCN employs under the Additional Roles Reimbursement Scheme.
constexpr std::array kArrsRoles = {
    Role{"Direct Patient Care", "Clinical Pharmacist", "GPhC", 6},
    Role{"Direct Patient Care", "Pharmacy Technician", "GPhC", 3},
    Role{"Direct Patient Care", "Social Prescribing Link Worker", "", 5},
    Role{"Direct Patient Care", "Health and Wellbeing Coach", "", 3},
    Role{"Direct Patient Care", "Care Coordinator", "", 5},
    Role{"Direct Patient Care", "Physician Associate", "FPA", 2},
    Role{"Direct Patient Care", "First Contact Physiotherapist", "HCPC", 3},
    Role{"Direct Patient Care", "Paramedic", "HCPC", 2},
    Role{"Direct Patient Care", "Mental Health Practitioner", "", 2}};

template <std::size_t N>
const Role& Pick(const std::array<Role, N>& roles, Rng& rng) {
  int total = 0;
  for (const Role& r : roles) total += r.weight;
  int at = Uniform(rng, 0, total - 1);
  for (const Role& r : roles) {
    if (at < r.weight) return r;
    at -= r.weight;
  }
  return roles.back();
}

// Half hours from 7.5 to 37.5 a week, weighted to the common contracts.
std::string Hours(Rng& rng, int low_halves, int high_halves) {
  int halves = Uniform(rng, low_halves, high_halves);
  return std::to_string(halves / 2) + (halves % 2 ? ".5" : ".0");
}

std::string StartDate(Rng& rng) {
  return std::to_string(Uniform(rng, 2005, 2025)) + "-" + Padded(Uniform(rng, 1, 12), 2) + "-01";
}

class Registers {
 public:
  std::string Next(const char* body) { return *body ? std::to_string(next_++) : ""; }

 private:
  long next_ = 1'000'001;  // national: one register number per person
};

Post PersonIn(const Role& role, Registers& registers, Rng& rng) {
  Post p;
  p.given_name = kGivenNames[static_cast<std::size_t>(
      Uniform(rng, 0, static_cast<int>(kGivenNames.size()) - 1))];
  p.family_name = kFamilyNames[static_cast<std::size_t>(
      Uniform(rng, 0, static_cast<int>(kFamilyNames.size()) - 1))];
  p.registration_body = role.register_body;
  p.registration_number = registers.Next(role.register_body);
  p.staff_group = role.group;
  p.staff_role = role.role;
  p.start_date = StartDate(rng);
  return p;
}

// PCN sizes of three to seven practices (five on average, as in England).
std::vector<int> PcnSizes(int practices, Rng& rng) {
  std::vector<int> sizes;
  int left = practices;
  while (left > 0) {
    int size = std::min(left, Uniform(rng, 3, 7));
    sizes.push_back(size);
    left -= size;
  }
  return sizes;
}

}  // namespace

Nation MakeNation(const NationSize& size, std::uint64_t seed) {
  Rng rng(seed);
  Nation nation;
  std::vector<int> pcn_sizes = PcnSizes(size.practices, rng);
  const int pcns = static_cast<int>(pcn_sizes.size());
  const int places = std::max(1, (pcns + 6) / 12);  // ~105 places for England
  const int icss = std::min(42, places);

  for (int i = 0; i < icss; ++i) {
    std::string code =
        "Q" + std::string(1, static_cast<char>('A' + i / 10)) + std::to_string(i % 10);
    nation.orgs.push_back({code, "NHS Simulated ICB " + std::to_string(i + 1), "ICS", ""});
  }
  for (int i = 0; i < places; ++i) {
    std::string code = std::string(1, static_cast<char>('P' + i / 100)) + Padded(i % 100, 2);
    nation.orgs.push_back({code, "Simulated Place " + std::to_string(i + 1), "PLACE",
                           nation.orgs[static_cast<std::size_t>(i % icss)].code});
  }
  Registers registers;
  int practice_number = 0;
  for (int pcn_index = 0; pcn_index < pcns; ++pcn_index) {
    std::string pcn = "U" + Padded(pcn_index + 1, 5);
    nation.orgs.push_back({pcn, "Simulated PCN " + std::to_string(pcn_index + 1), "PCN",
                           nation.orgs[static_cast<std::size_t>(icss + pcn_index % places)].code});
    std::size_t first = nation.practices.size();
    for (int k = 0; k < pcn_sizes[static_cast<std::size_t>(pcn_index)]; ++k) {
      Practice practice;
      practice.code = "B" + Padded(++practice_number, 5);
      practice.pcn = pcn;
      practice.patients = Uniform(rng, 3000, 18000);
      nation.orgs.push_back(
          {practice.code, "Simulated Surgery " + std::to_string(practice_number), "PRACTICE", pcn});
      int own_staff = Uniform(rng, 24, 50);  // with the PCN staff below: 30 to 60
      for (int s = 0; s < own_staff; ++s) {
        Post p = PersonIn(Pick(kPracticeRoles, rng), registers, rng);
        p.staff_id = "S" + Padded(s + 1, 3);
        p.contracted_hours = Hours(rng, 15, 75);
        p.employer_type = "PRACTICE";
        p.employer_code = practice.code;
        p.employer_staff_id = p.staff_id;
        p.funding = "PRACTICE";
        practice.posts.push_back(std::move(p));
      }
      nation.practices.push_back(std::move(practice));
    }
    // The PCN's Additional Roles staff, each working across two to four of
    // its practices: the same person (same register number and employer id)
    // in several practices' returns, for rollups to count once.
    std::size_t members = nation.practices.size() - first;
    int arrs_staff = Uniform(rng, 2, 3) * static_cast<int>(members);
    std::vector<int> next_id(members, 1);
    for (int s = 0; s < arrs_staff; ++s) {
      Post person = PersonIn(Pick(kArrsRoles, rng), registers, rng);
      person.employer_type = "PCN";
      person.employer_code = pcn;
      person.employer_staff_id = "E" + Padded(s + 1, 5);
      person.funding = "ARRS";
      int spread = std::min(static_cast<int>(members), Uniform(rng, 2, 4));
      std::size_t start = static_cast<std::size_t>(Uniform(rng, 0, static_cast<int>(members) - 1));
      for (int j = 0; j < spread; ++j) {
        std::size_t m = (start + static_cast<std::size_t>(j)) % members;
        Post post = person;
        post.staff_id = "P" + Padded(next_id[m]++, 3);
        post.contracted_hours = Hours(rng, 15, 30);  // 7.5 to 15 hours at each practice
        nation.practices[first + m].posts.push_back(std::move(post));
      }
    }
  }
  return nation;
}

}  // namespace tributary::sim
