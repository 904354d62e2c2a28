#include "rollup/rollup_totals_codec.h"

#include <cstdint>
#include <cstring>

#include "tributary/common/error.h"

namespace tributary::server {
namespace {

constexpr std::uint8_t kVersion = 1;

class Writer {
 public:
  void Byte(std::uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void Varint(std::uint64_t v) {
    while (v >= 0x80) {
      Byte(static_cast<std::uint8_t>(v | 0x80));
      v >>= 7;
    }
    Byte(static_cast<std::uint8_t>(v));
  }
  void Text(std::string_view s) {
    Varint(s.size());
    out_.append(s);
  }
  void Double(double d) {
    std::uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    for (int i = 0; i < 8; ++i) Byte(static_cast<std::uint8_t>(bits >> (8 * i)));
  }
  void Key(const PersonKey& key) { key.AppendBytes(out_); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  std::uint8_t Byte() {
    Need(1);
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  // Only the shortest form of a number up to 2^63 - 1, as Writer writes it:
  // other bytes would decode to the same totals but not compare equal.
  std::uint64_t Varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      std::uint8_t b = Byte();
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) Fail("a number not in its shortest form");
        return v;
      }
    }
    Fail("a number larger than 2^63 - 1");
  }
  // A count of items each at least `item_bytes` long: checked against what is
  // left, so a corrupt count cannot ask for gigabytes.
  std::size_t Count(std::size_t item_bytes) {
    std::uint64_t n = Varint();
    if (n > (in_.size() - pos_) / item_bytes) Fail("a count of " + std::to_string(n) + " items");
    return static_cast<std::size_t>(n);
  }
  std::string_view Raw(std::size_t n) {
    Need(n);
    std::string_view bytes = in_.substr(pos_, n);
    pos_ += n;
    return bytes;
  }
  std::string Text() { return std::string(Raw(Count(1))); }
  double Double() {
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>(Byte()) << (8 * i);
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }
  void End() const {
    if (pos_ != in_.size()) Fail(std::to_string(in_.size() - pos_) + " bytes left over");
  }
  [[noreturn]] void Fail(const std::string& what) const {
    throw Error::Corruption("stored rollup totals: " + what + " at byte " + std::to_string(pos_));
  }

 private:
  void Need(std::size_t n) const {
    if (n > in_.size() - pos_) Fail("truncated, needing " + std::to_string(n) + " more bytes");
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

void WritePractices(Writer& w, const std::set<std::string>& practices) {
  w.Varint(practices.size());
  for (const std::string& p : practices) w.Text(p);
}

std::set<std::string> ReadPractices(Reader& r) {
  std::set<std::string> practices;
  for (std::size_t n = r.Count(1); n > 0; --n) {
    std::string practice = r.Text();
    if (!practices.empty() && !(*practices.rbegin() < practice)) r.Fail("practices out of order");
    practices.insert(practices.end(), std::move(practice));
  }
  return practices;
}

void WriteCells(Writer& w, const std::map<RollupDims, RollupCell>& cells) {
  w.Varint(cells.size());
  for (const auto& [d, c] : cells) {
    for (const std::string* text : {&d.staff_group, &d.staff_role, &d.hcp_type, &d.appt_mode,
                                    &d.appt_status, &d.booking_interval}) {
      w.Text(*text);
    }
    w.Double(c.sum);
    w.Varint(c.people.size());
    for (const PersonKey& p : c.people) w.Key(p);
  }
}

std::map<RollupDims, RollupCell> ReadCells(Reader& r) {
  constexpr std::size_t kSmallestCell = 6 + 8 + 1;
  std::map<RollupDims, RollupCell> cells;
  for (std::size_t n = r.Count(kSmallestCell); n > 0; --n) {
    RollupDims d;
    for (std::string* text : {&d.staff_group, &d.staff_role, &d.hcp_type, &d.appt_mode,
                              &d.appt_status, &d.booking_interval}) {
      *text = r.Text();
    }
    if (!cells.empty() && !(cells.rbegin()->first < d)) r.Fail("cells out of order");
    RollupCell c;
    c.sum = r.Double();
    std::size_t people = r.Count(PersonKey::kBytes);
    c.people.reserve(people);
    for (std::size_t i = 0; i < people; ++i) {
      c.people.push_back(PersonKey::FromBytes(r.Raw(PersonKey::kBytes)));
      // Headcounts rely on each cell's people being sorted and distinct.
      if (i > 0 && !(c.people[i - 1] < c.people[i])) r.Fail("people out of order");
    }
    cells.emplace_hint(cells.end(), std::move(d), std::move(c));
  }
  return cells;
}

}  // namespace

std::string EncodeRollupTotals(const RollupTotals& t) {
  Writer w;
  w.Byte(kVersion);
  WritePractices(w, t.workforce_practices);
  WritePractices(w, t.appointment_practices);
  WriteCells(w, t.workforce);
  WriteCells(w, t.arrs);
  WriteCells(w, t.appointments);
  w.Double(t.gp_fte_with_list);
  w.Double(t.list_for_gp);
  w.Varint(static_cast<std::uint64_t>(t.practices_gp_rate));
  w.Double(t.appointments_with_list);
  w.Double(t.list_for_appointments);
  w.Varint(static_cast<std::uint64_t>(t.practices_appointment_rate));
  return w.Take();
}

RollupTotals DecodeRollupTotals(std::string_view bytes) {
  Reader r(bytes);
  if (std::uint8_t version = r.Byte(); version != kVersion) {
    r.Fail("unknown format version " + std::to_string(version));
  }
  RollupTotals t;
  t.workforce_practices = ReadPractices(r);
  t.appointment_practices = ReadPractices(r);
  t.workforce = ReadCells(r);
  t.arrs = ReadCells(r);
  t.appointments = ReadCells(r);
  t.gp_fte_with_list = r.Double();
  t.list_for_gp = r.Double();
  t.practices_gp_rate = static_cast<std::int64_t>(r.Varint());
  t.appointments_with_list = r.Double();
  t.list_for_appointments = r.Double();
  t.practices_appointment_rate = static_cast<std::int64_t>(r.Varint());
  r.End();
  return t;
}

}  // namespace tributary::server
