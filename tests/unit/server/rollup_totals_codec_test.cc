// The stored form of rollup totals: what goes in comes out, equal totals are
// equal bytes, and every kind of damage is refused with where it was found.
#include "rollup/rollup_totals_codec.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "tributary/common/digest.h"
#include "tributary/common/error.h"

using namespace tributary;
using namespace tributary::server;

namespace {

std::string Key(const std::string& name) { return digest::Sha256Hex(name); }

// A month with everything the totals hold: staff in two roles (one with two
// posts), ARRS staff, appointments and a list size.
RollupTotals SomeTotals() {
  PracticeMonth m;
  auto staff = [](const std::string& person, const char* group, const char* role, const char* fte,
                  const char* funding) {
    return FieldMap{{"person_key", Key(person)},
                    {"staff_group", group},
                    {"staff_role", role},
                    {"fte", fte},
                    {"funding", funding}};
  };
  m.workforce = {staff("ana", "GP", "GP Partner", "1", "PRACTICE"),
                 staff("ben", "Direct Patient Care", "Clinical Pharmacist", "0.4", "ARRS"),
                 staff("ben", "Direct Patient Care", "Pharmacy Technician", "0.2", "ARRS"),
                 staff("cal", "Nurses", "Practice Nurse", "0.8", "PRACTICE")};
  m.appointments = {{{"hcp_type", "GP"},
                     {"appt_mode", "Face-to-Face"},
                     {"appt_status", "Attended"},
                     {"booking_interval", "Same Day"},
                     {"count", "120"}},
                    {{"hcp_type", "Nurse"},
                     {"appt_mode", "Telephone"},
                     {"appt_status", "DNA"},
                     {"booking_interval", "2 to 7 Days"},
                     {"count", "7"}}};
  m.list_size = 9000;
  return PracticeTotals("T01100", m);
}

std::size_t Heads(const RollupTotals& t) { return t.workforce.at(RollupDims{}).people.size(); }

}  // namespace

TEST_CASE("person keys: hex in, hex out; anything else refused") {
  std::string hex = Key("ana");
  CHECK(PersonKey::FromHex(hex).ToHex() == hex);
  std::string bytes;
  PersonKey::FromHex(hex).AppendBytes(bytes);
  REQUIRE(bytes.size() == 32);
  std::string bytes_as_hex;
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    bytes_as_hex += "0123456789abcdef"[b >> 4];
    bytes_as_hex += "0123456789abcdef"[b & 0xF];
  }
  CHECK(bytes_as_hex == hex);  // the key's own bytes, in order
  CHECK(PersonKey::FromBytes(bytes) == PersonKey::FromHex(hex));
  // Keys sort as their hex does.
  std::vector<std::string> hexes;
  std::vector<PersonKey> keys;
  for (int i = 0; i < 50; ++i) {
    hexes.push_back(Key("person " + std::to_string(i)));
    keys.push_back(PersonKey::FromHex(hexes.back()));
  }
  std::sort(hexes.begin(), hexes.end());
  std::sort(keys.begin(), keys.end());
  for (std::size_t i = 0; i < keys.size(); ++i) CHECK(keys[i].ToHex() == hexes[i]);
  CHECK_THROWS_WITH(PersonKey::FromHex(hex.substr(1)), Catch::Contains("63 characters"));
  std::string upper = hex;
  upper[10] = 'A';
  if (hex[10] == 'a') upper[10] = 'B';
  CHECK_THROWS_WITH(PersonKey::FromHex(upper), Catch::Contains("character 11"));
  CHECK_THROWS_WITH(PersonKey::FromBytes("short"), Catch::Contains("5 bytes"));
}

TEST_CASE("person keys: a person with two posts is one head") {
  RollupTotals t = SomeTotals();
  CHECK(Heads(t) == 3);
  CHECK(t.arrs.at(RollupDims{}).people.size() == 1);
  CHECK(t.arrs.at(RollupDims{}).sum == Approx(0.6));
}

TEST_CASE("stored totals: decode what was encoded, to the same bytes") {
  RollupTotals t = SomeTotals();
  std::string bytes = EncodeRollupTotals(t);
  RollupTotals back = DecodeRollupTotals(bytes);
  CHECK(EncodeRollupTotals(back) == bytes);
  CHECK(back.workforce_practices == t.workforce_practices);
  CHECK(back.appointment_practices == t.appointment_practices);
  CHECK(back.workforce.size() == t.workforce.size());
  CHECK(back.arrs.size() == t.arrs.size());
  CHECK(back.appointments.size() == t.appointments.size());
  CHECK(Heads(back) == 3);
  CHECK(back.workforce.at(RollupDims{}).people == t.workforce.at(RollupDims{}).people);
  CHECK(back.appointments.at(RollupDims{}).sum == 127);
  CHECK(back.list_for_gp == 9000);
  CHECK(back.practices_gp_rate == 1);
  CHECK(back.practices_appointment_rate == 1);
  CHECK(*AppointmentsPerThousand(back) == Approx(127.0 / 9));
  CHECK(DecodeRollupTotals(EncodeRollupTotals(RollupTotals{})).empty());
}

TEST_CASE("stored totals: every truncation is refused, never read past the end") {
  std::string bytes = EncodeRollupTotals(SomeTotals());
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    INFO("length " << length);
    CHECK_THROWS_AS(DecodeRollupTotals(std::string_view(bytes).substr(0, length)),
                    tributary::Error);
  }
}

TEST_CASE("stored totals: damage is refused with where it was found") {
  std::string bytes = EncodeRollupTotals(SomeTotals());
  SECTION("an unknown version") {
    bytes[0] = 2;
    CHECK_THROWS_WITH(DecodeRollupTotals(bytes),
                      Catch::Contains("unknown format version 2") && Catch::Contains("byte 1"));
  }
  SECTION("schema-2 JSON") {
    CHECK_THROWS_WITH(DecodeRollupTotals("{\"workforce_practices\":[]}"),
                      Catch::Contains("unknown format version 123"));
  }
  SECTION("bytes left over") {
    CHECK_THROWS_WITH(DecodeRollupTotals(bytes + "xy"), Catch::Contains("2 bytes left over"));
  }
  SECTION("a count larger than the bytes left") {
    // Byte 1 counts the workforce practices: claim 100,000 of them.
    std::string damaged = bytes.substr(0, 1) + "\xA0\x8D\x06" + bytes.substr(2);
    CHECK_THROWS_WITH(DecodeRollupTotals(damaged), Catch::Contains("a count of 100000 items"));
  }
  SECTION("people out of order, so headcounts could count one twice") {
    RollupTotals t = SomeTotals();
    auto& people = t.workforce.at(RollupDims{}).people;
    std::swap(people.front(), people.back());
    CHECK_THROWS_WITH(DecodeRollupTotals(EncodeRollupTotals(t)),
                      Catch::Contains("people out of order"));
  }
  SECTION("a person twice in one cell") {
    RollupTotals t = SomeTotals();
    auto& people = t.workforce.at(RollupDims{}).people;
    people.insert(people.begin(), people.front());
    CHECK_THROWS_WITH(DecodeRollupTotals(EncodeRollupTotals(t)),
                      Catch::Contains("people out of order"));
  }
  SECTION("practices out of order or twice") {
    // One workforce practice, "T01100", at bytes 1-7: say it twice instead.
    std::string twice = bytes.substr(0, 1) + "\x02" + bytes.substr(2, 7) + bytes.substr(2);
    CHECK_THROWS_WITH(DecodeRollupTotals(twice), Catch::Contains("practices out of order"));
  }
  SECTION("a number not in its shortest form, which would not compare equal") {
    // The workforce practices' count, 1, written in two bytes.
    std::string longer = bytes.substr(0, 1) + std::string("\x81\x00", 2) + bytes.substr(2);
    CHECK_THROWS_WITH(DecodeRollupTotals(longer), Catch::Contains("not in its shortest form"));
  }
  SECTION("a number beyond 2^63 - 1") {
    std::string huge = bytes.substr(0, 1) + std::string(9, '\xFF') + "\x01" + bytes.substr(2);
    CHECK_THROWS_WITH(DecodeRollupTotals(huge), Catch::Contains("larger than 2^63 - 1"));
  }
}

TEST_CASE("rollup totals: merging unites people once asked, and sums add") {
  RollupTotals a = SomeTotals();
  RollupTotals b = SomeTotals();
  b.workforce_practices = {"T01113"};
  RollupTotals all;
  all.Merge(a);
  all.Merge(b);
  CHECK(all.workforce.at(RollupDims{}).people.size() == 6);  // appended
  all.UnitePeople();
  CHECK(Heads(all) == 3);
  CHECK(all.workforce.at(RollupDims{}).sum == Approx(4.8));
  CHECK(all.workforce_practices == std::set<std::string>{"T01100", "T01113"});
}
