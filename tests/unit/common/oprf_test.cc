// RFC 9497's OPRF (ristretto255-SHA512, mode 0) against the RFC's own test
// vectors (appendix A.1.1), and the properties person keys rely on.
#include "tributary/common/oprf.h"

#include <catch2/catch.hpp>

#include "tributary/common/digest.h"
#include "tributary/common/error.h"

using namespace tributary;

namespace {

std::string Bytes(const std::string& hex) { return digest::FromHex(hex).value(); }

oprf::Scalar ScalarOf(const std::string& hex) {
  oprf::Scalar s{};
  std::string bytes = Bytes(hex);
  std::copy(bytes.begin(), bytes.end(), s.begin());
  return s;
}

const char* kSkSm = "5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e";
const char* kBlind = "64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706";

struct Vector {
  const char* input;
  const char* blinded;
  const char* evaluated;
  const char* output;
};

const Vector kVectors[] = {
    {"00", "609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803c",
     "7ec6578ae5120958eb2db1745758ff379e77cb64fe77b0b2d8cc917ea0869c7e",
     "527759c3d9366f277d8c6020418d96bb393ba2afb20ff90df23fb7708264e2f3ab9135e3bd69955851de4b1f9fe8"
     "a0973396719b7912ba9ee8aa7d0b5e24bcf6"},
    {"5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
     "da27ef466870f5f15296299850aa088629945a17d1f5b7f5ff043f76b3c06418",
     "b4cbf5a4f1eeda5a63ce7b77c7d23f461db3fcab0dd28e4e17cecb5c90d02c25",
     "f4a74c9c592497375e796aa837e907b1a045d34306a749db9f34221f7e750cb4f2a6413a6bf6fa5e19ba6348eb67"
     "3934a722a7ede2e7621306d18951e7cf2c73"},
};

}  // namespace

TEST_CASE("oprf: expand_message_xmd with SHA-512 gives RFC 9380's vector") {
  std::string out =
      oprf::ExpandMessageXmdSha512("abc", "QUUX-V01-CS02-with-expander-SHA512-256", 0x80);
  CHECK(oprf::ToHex(reinterpret_cast<const std::uint8_t*>(out.data()), out.size()) ==
        "7f1dddd13c08b543f2e2037b14cefb255b44c83cc397c1786d975653e36a6b11bdd7732d8b38adb4a0edc26a0c"
        "ef4bb45217135456e58fbca1703cd6032cb1347ee720b87972d63fbf232587043ed2901bce7f22610c0419751c"
        "065922b488431851041310ad659e4b23520e1772ab29dcdeb2002222a363f0c2b1c972b3efe1");
}

TEST_CASE("oprf: blind, evaluate and finalize give RFC 9497's ristretto255-SHA512 vectors") {
  oprf::Key key = oprf::Key::FromHex(kSkSm);
  for (const Vector& v : kVectors) {
    INFO(v.input);
    std::string input = Bytes(v.input);
    oprf::BlindedInput blinded = oprf::BlindWith(input, ScalarOf(kBlind));
    CHECK(oprf::ToHex(blinded.element) == v.blinded);
    oprf::Element evaluated = oprf::BlindEvaluate(key, blinded.element);
    CHECK(oprf::ToHex(evaluated) == v.evaluated);
    CHECK(oprf::ToHex(oprf::Finalize(input, blinded.blind, evaluated)) == v.output);
  }
}

TEST_CASE("oprf: the output does not depend on the blind, and needs the key") {
  oprf::Key key = oprf::Key::Generate();
  auto evaluate = [](const oprf::Key& k, const std::string& input) {
    oprf::BlindedInput b = oprf::Blind(input);
    return oprf::Finalize(input, b.blind, oprf::BlindEvaluate(k, b.element));
  };
  oprf::BlindedInput first = oprf::Blind("GMC:1234567");
  oprf::BlindedInput second = oprf::Blind("GMC:1234567");
  CHECK(first.element != second.element);  // the server cannot link two requests
  CHECK(evaluate(key, "GMC:1234567") == evaluate(key, "GMC:1234567"));
  CHECK(evaluate(key, "GMC:1234567") != evaluate(key, "GMC:1234568"));
  CHECK(evaluate(oprf::Key::Generate(), "GMC:1234567") != evaluate(key, "GMC:1234567"));
}

TEST_CASE("oprf: a key round-trips through hex; a malformed one or element is refused") {
  oprf::Key key = oprf::Key::Generate();
  CHECK(oprf::Key::FromHex(key.ToHex()).ToHex() == key.ToHex());
  CHECK(oprf::Key::FromHex(key.ToHex()).PublicElement() == key.PublicElement());
  auto code_of = [](auto action) {
    try {
      action();
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::kInternal;
  };
  CHECK(code_of([] { oprf::Key::FromHex(std::string(64, '0')); }) == ErrorCode::kCorruption);
  CHECK(code_of([] { oprf::Key::FromHex(std::string(64, 'f')); }) == ErrorCode::kCorruption);
  CHECK(code_of([] { oprf::Key::FromHex("abc"); }) == ErrorCode::kCorruption);
  oprf::Element identity{};
  CHECK(code_of([&] { oprf::BlindEvaluate(key, identity); }) == ErrorCode::kInvalidInput);
  oprf::Element not_a_point{};
  not_a_point.fill(0xff);
  CHECK(code_of([&] { oprf::BlindEvaluate(key, not_a_point); }) == ErrorCode::kInvalidInput);
  CHECK(code_of([] { oprf::ElementFromHex("xyz"); }) == ErrorCode::kInvalidInput);
}
