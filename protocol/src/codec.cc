#include "tributary/protocol/codec.h"

#include <boost/json.hpp>
#include <charconv>

#include "json_reader.h"

namespace tributary::protocol {
namespace json = boost::json;
using detail::DecodeFailure;
using detail::Fail;
using detail::ObjectReader;

namespace detail {

void Fail(DecodeErrorCode code, std::string field, std::string message) {
  throw DecodeFailure{DecodeError{code, std::move(field), std::move(message)}};
}

ObjectReader::ObjectReader(const json::value& value, std::string path, const DecodeLimits& limits)
    : object_(value.if_object()), path_(std::move(path)), limits_(limits) {
  if (object_ == nullptr) {
    Fail(DecodeErrorCode::kWrongType, path_.empty() ? "$" : path_, "must be an object");
  }
}

std::string ObjectReader::PathOf(std::string_view name) const {
  return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
}

const json::value* ObjectReader::Find(std::string_view name) const {
  return object_->if_contains(name);
}

bool ObjectReader::Has(std::string_view name) const { return Find(name) != nullptr; }

const json::value& ObjectReader::Require(std::string_view name) const {
  const json::value* v = Find(name);
  if (v == nullptr) Fail(DecodeErrorCode::kMissingField, PathOf(name), "is required");
  return *v;
}

std::string StringOf(const json::value& value, const std::string& path,
                     const DecodeLimits& limits) {
  const json::string* s = value.if_string();
  if (s == nullptr) Fail(DecodeErrorCode::kWrongType, path, "must be a string");
  if (s->size() > limits.max_string_bytes) {
    Fail(DecodeErrorCode::kTooLarge, path,
         "is longer than " + std::to_string(limits.max_string_bytes) + " bytes");
  }
  return std::string(s->data(), s->size());
}

std::string ObjectReader::String(std::string_view name) const {
  return StringOf(Require(name), PathOf(name), limits_);
}

std::string ObjectReader::OptionalString(std::string_view name) const {
  const json::value* v = Find(name);
  return v == nullptr ? std::string() : StringOf(*v, PathOf(name), limits_);
}

std::uint64_t ObjectReader::Unsigned(std::string_view name) const {
  const json::value& v = Require(name);
  if (v.is_uint64()) return v.get_uint64();
  if (v.is_int64()) {
    if (v.get_int64() < 0)
      Fail(DecodeErrorCode::kInvalidValue, PathOf(name), "must not be negative");
    return static_cast<std::uint64_t>(v.get_int64());
  }
  Fail(DecodeErrorCode::kWrongType, PathOf(name), "must be a whole number");
}

std::optional<std::uint64_t> ObjectReader::OptionalUnsigned(std::string_view name) const {
  if (Find(name) == nullptr) return std::nullopt;
  return Unsigned(name);
}

bool ObjectReader::Bool(std::string_view name) const {
  const json::value& v = Require(name);
  if (!v.is_bool()) Fail(DecodeErrorCode::kWrongType, PathOf(name), "must be true or false");
  return v.get_bool();
}

const json::array& ObjectReader::Array(std::string_view name, std::size_t max_items) const {
  const json::array* a = Require(name).if_array();
  if (a == nullptr) Fail(DecodeErrorCode::kWrongType, PathOf(name), "must be an array");
  if (a->size() > max_items) {
    Fail(DecodeErrorCode::kTooLarge, PathOf(name),
         "has more than " + std::to_string(max_items) + " items");
  }
  return *a;
}

ObjectReader ObjectReader::Object(std::string_view name) const {
  return ObjectReader(Require(name), PathOf(name), limits_);
}

json::value ParseMessage(std::string_view text, const DecodeLimits& limits) {
  if (text.size() > limits.max_message_bytes) {
    Fail(DecodeErrorCode::kTooLarge, "$",
         "message of " + std::to_string(text.size()) + " bytes is over the limit of " +
             std::to_string(limits.max_message_bytes));
  }
  json::parse_options options;
  options.max_depth = 16;
  std::error_code ec;
  json::value value = json::parse(text, ec, {}, options);
  if (ec) Fail(DecodeErrorCode::kMalformed, "$", "not valid JSON: " + ec.message());
  ObjectReader reader(value, "", limits);
  const json::value* v = reader.object().if_contains("v");
  if (v == nullptr) Fail(DecodeErrorCode::kUnsupportedVersion, "v", "protocol version is required");
  std::string version = StringOf(*v, "v", limits);
  int major = -1;
  auto dot = version.find('.');
  auto [ptr, err] =
      std::from_chars(version.data(), version.data() + std::min(dot, version.size()), major);
  if (err != std::errc() || dot == std::string::npos || major != kMajorVersion) {
    Fail(DecodeErrorCode::kUnsupportedVersion, "v",
         "protocol version '" + version + "' is not supported; this peer speaks " +
             std::to_string(kMajorVersion) + "." + std::to_string(kMinorVersion));
  }
  (void)ptr;
  return value;
}

}  // namespace detail

namespace {

json::object Envelope() {
  json::object o;
  o["v"] = std::to_string(kMajorVersion) + "." + std::to_string(kMinorVersion);
  return o;
}

std::string Serialize(const json::object& o) { return json::serialize(o); }

// Runs a decoder body, turning any failure into a DecodeError.
template <typename T, typename Body>
Decoded<T> Guard(std::string_view text, const DecodeLimits& limits, Body body) {
  try {
    json::value value = detail::ParseMessage(text, limits);
    return body(ObjectReader(value, "", limits));
  } catch (const DecodeFailure& failure) {
    return failure.error;
  } catch (const std::exception& e) {
    // Boost.JSON may throw bad_alloc-like errors on absurd input.
    return DecodeError{DecodeErrorCode::kMalformed, "$", e.what()};
  }
}

json::object EncodeFields(const FieldMap& fields) {
  json::object o;
  for (const auto& [name, value] : fields) o[name] = value;
  return o;
}

FieldMap DecodeFields(const ObjectReader& reader) {
  if (reader.object().size() > reader.limits().max_fields_per_record) {
    Fail(DecodeErrorCode::kTooLarge, reader.path(), "has too many fields");
  }
  FieldMap fields;
  for (const auto& [name, value] : reader.object()) {
    std::string path = reader.PathOf(std::string_view(name.data(), name.size()));
    fields.emplace(std::string(name.data(), name.size()),
                   detail::StringOf(value, path, reader.limits()));
  }
  return fields;
}

std::string Indexed(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

}  // namespace

std::string_view DecodeErrorCodeName(DecodeErrorCode code) {
  switch (code) {
    case DecodeErrorCode::kTooLarge:
      return "too_large";
    case DecodeErrorCode::kMalformed:
      return "malformed";
    case DecodeErrorCode::kUnsupportedVersion:
      return "unsupported_version";
    case DecodeErrorCode::kMissingField:
      return "missing_field";
    case DecodeErrorCode::kWrongType:
      return "wrong_type";
    case DecodeErrorCode::kInvalidValue:
      return "invalid_value";
  }
  return "malformed";
}

std::string_view ChangeOpName(ChangeOp op) { return op == ChangeOp::kUpsert ? "upsert" : "delete"; }

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAccepted:
      return "accepted";
    case Outcome::kInvalid:
      return "invalid";
    case Outcome::kConflict:
      return "conflict";
  }
  return "invalid";
}

std::string Encode(const EnrolRequest& m) {
  json::object o = Envelope();
  o["token"] = m.token;
  o["csr"] = m.csr_pem;
  o["agent_version"] = m.agent_version;
  if (m.resume_after_seq > 0) o["resume_after_seq"] = m.resume_after_seq;
  return Serialize(o);
}

std::string Encode(const EnrolReply& m) {
  json::object o = Envelope();
  o["practice"] = m.practice;
  o["certificate"] = m.certificate_pem;
  o["ca_certificate"] = m.ca_certificate_pem;
  if (!m.signing_public_key.empty()) o["signing_public_key"] = m.signing_public_key;
  return Serialize(o);
}

namespace {

// An envelope holding one array of strings, as both person-key messages are.
std::string EncodeStrings(const char* name, const std::vector<std::string>& items) {
  json::object o = Envelope();
  json::array array;
  for (const std::string& item : items) array.emplace_back(item);
  o[name] = std::move(array);
  return Serialize(o);
}

}  // namespace

std::string Encode(const PersonKeyRequest& m) { return EncodeStrings("blinded", m.blinded); }

std::string Encode(const PersonKeyReply& m) { return EncodeStrings("evaluated", m.evaluated); }

std::string Encode(const PushBatch& m) {
  json::object o = Envelope();
  o["practice"] = m.practice;
  o["from_seq"] = m.from_seq;
  o["to_seq"] = m.to_seq;
  json::array changes;
  changes.reserve(m.changes.size());
  for (const Change& c : m.changes) {
    json::object change;
    change["seq"] = c.seq;
    change["dataset"] = c.dataset;
    change["key"] = c.key;
    change["op"] = ChangeOpName(c.op);
    change["version"] = c.version;
    change["base_version"] = c.base_version;
    if (c.op == ChangeOp::kUpsert) change["fields"] = EncodeFields(c.fields);
    changes.push_back(std::move(change));
  }
  o["changes"] = std::move(changes);
  return Serialize(o);
}

std::string Encode(const PushReply& m) {
  json::object o = Envelope();
  o["acknowledged_seq"] = m.acknowledged_seq;
  o["accepted"] = m.accepted;
  json::array outcomes;
  for (const ChangeOutcome& c : m.outcomes) {
    json::object outcome;
    outcome["seq"] = c.seq;
    outcome["outcome"] = OutcomeName(c.outcome);
    json::array reasons;
    for (const FieldFinding& f : c.reasons) {
      reasons.push_back(json::object{{"field", f.field}, {"reason", f.reason}});
    }
    outcome["reasons"] = std::move(reasons);
    outcomes.push_back(std::move(outcome));
  }
  o["outcomes"] = std::move(outcomes);
  if (m.receipt) {
    const Receipt& r = *m.receipt;
    o["receipt"] = json::object{{"practice", r.practice},
                                {"from_seq", r.from_seq},
                                {"to_seq", r.to_seq},
                                {"acknowledged_seq", r.acknowledged_seq},
                                {"changes_sha256", r.changes_sha256},
                                {"at_ms", r.at_ms},
                                {"public_key", r.public_key},
                                {"signature", r.signature}};
  }
  return Serialize(o);
}

std::string Encode(const PullReply& m) {
  json::object o = Envelope();
  json::array notices;
  for (const Notice& n : m.notices) {
    notices.push_back(
        json::object{{"id", n.id}, {"kind", n.kind}, {"fields", EncodeFields(n.fields)}});
  }
  o["notices"] = std::move(notices);
  o["cursor"] = m.cursor;
  o["more"] = m.more;
  if (m.acknowledged_seq) o["acknowledged_seq"] = *m.acknowledged_seq;
  return Serialize(o);
}

std::string Encode(const ErrorReply& m) {
  json::object error;
  error["code"] = m.code;
  error["message"] = m.message;
  if (m.resume_from) error["resume_from"] = *m.resume_from;
  json::object o = Envelope();
  o["error"] = std::move(error);
  return Serialize(o);
}

Decoded<EnrolRequest> DecodeEnrolRequest(std::string_view text, const DecodeLimits& limits) {
  return Guard<EnrolRequest>(text, limits, [](const ObjectReader& r) {
    EnrolRequest m;
    m.token = r.String("token");
    m.csr_pem = r.String("csr");
    m.agent_version = r.OptionalString("agent_version");
    m.resume_after_seq = r.OptionalUnsigned("resume_after_seq").value_or(0);
    if (m.token.empty()) Fail(DecodeErrorCode::kInvalidValue, "token", "must not be empty");
    return m;
  });
}

std::string Encode(const RenewRequest& m) {
  json::object o = Envelope();
  o["csr"] = m.csr_pem;
  o["agent_version"] = m.agent_version;
  return Serialize(o);
}

std::string Encode(const RenewReply& m) {
  json::object o = Envelope();
  o["certificate"] = m.certificate_pem;
  o["not_after_ms"] = m.not_after_ms;
  return Serialize(o);
}

std::string Encode(const Heartbeat& m) {
  json::object o = Envelope();
  o["agent_version"] = m.agent_version;
  o["queue_depth"] = m.queue_depth;
  o["last_seq"] = m.last_seq;
  o["store_bytes"] = m.store_bytes;
  o["agent_time_ms"] = m.agent_time_ms;
  o["certificate_not_after_ms"] = m.certificate_not_after_ms;
  o["last_error"] = m.last_error;
  o["imports_paused"] = m.imports_paused;
  if (!m.trusted_ca_sha256.empty()) {
    json::array trusted;
    for (const std::string& sha : m.trusted_ca_sha256) trusted.emplace_back(sha);
    o["trusted_ca_sha256"] = std::move(trusted);
  }
  return Serialize(o);
}

std::string Encode(const HeartbeatReply& m) {
  json::object o = Envelope();
  o["server_time_ms"] = m.server_time_ms;
  if (!m.ca_certificates_pem.empty()) o["ca_certificates"] = m.ca_certificates_pem;
  return Serialize(o);
}

namespace {

// An array of at most `max` items, each 64 lower-case hex characters (OPRF
// elements, SHA-256 digests).
std::vector<std::string> DecodeHexList(const ObjectReader& r, std::string_view name,
                                       std::size_t max) {
  const json::array& items = r.Array(name, max);
  std::vector<std::string> out;
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string path = Indexed(r.PathOf(name), i);
    std::string hex = detail::StringOf(items[i], path, r.limits());
    if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
      Fail(DecodeErrorCode::kInvalidValue, path, "must be 64 lower-case hex characters");
    }
    out.push_back(std::move(hex));
  }
  return out;
}

}  // namespace

Decoded<RenewRequest> DecodeRenewRequest(std::string_view text, const DecodeLimits& limits) {
  return Guard<RenewRequest>(text, limits, [](const ObjectReader& r) {
    RenewRequest m;
    m.csr_pem = r.String("csr");
    m.agent_version = r.OptionalString("agent_version");
    return m;
  });
}

Decoded<RenewReply> DecodeRenewReply(std::string_view text, const DecodeLimits& limits) {
  return Guard<RenewReply>(text, limits, [](const ObjectReader& r) {
    RenewReply m;
    m.certificate_pem = r.String("certificate");
    m.not_after_ms = r.Unsigned("not_after_ms");
    return m;
  });
}

Decoded<Heartbeat> DecodeHeartbeat(std::string_view text, const DecodeLimits& limits) {
  return Guard<Heartbeat>(text, limits, [](const ObjectReader& r) {
    Heartbeat m;
    m.agent_version = r.OptionalString("agent_version");
    m.queue_depth = r.Unsigned("queue_depth");
    m.last_seq = r.Unsigned("last_seq");
    m.store_bytes = r.Unsigned("store_bytes");
    m.agent_time_ms = r.Unsigned("agent_time_ms");
    m.certificate_not_after_ms = r.Unsigned("certificate_not_after_ms");
    m.last_error = r.OptionalString("last_error");
    m.imports_paused = r.Bool("imports_paused");
    if (r.Has("trusted_ca_sha256"))
      m.trusted_ca_sha256 = DecodeHexList(r, "trusted_ca_sha256", kMaxTrustedCas);
    return m;
  });
}

Decoded<HeartbeatReply> DecodeHeartbeatReply(std::string_view text, const DecodeLimits& limits) {
  return Guard<HeartbeatReply>(text, limits, [](const ObjectReader& r) {
    HeartbeatReply m;
    m.server_time_ms = r.Unsigned("server_time_ms");
    m.ca_certificates_pem = r.OptionalString("ca_certificates");
    return m;
  });
}

Decoded<EnrolReply> DecodeEnrolReply(std::string_view text, const DecodeLimits& limits) {
  return Guard<EnrolReply>(text, limits, [](const ObjectReader& r) {
    EnrolReply m;
    m.practice = r.String("practice");
    m.certificate_pem = r.String("certificate");
    m.ca_certificate_pem = r.String("ca_certificate");
    m.signing_public_key = r.OptionalString("signing_public_key");
    return m;
  });
}

Decoded<PersonKeyRequest> DecodePersonKeyRequest(std::string_view text,
                                                 const DecodeLimits& limits) {
  return Guard<PersonKeyRequest>(text, limits, [](const ObjectReader& r) {
    PersonKeyRequest m;
    m.blinded = DecodeHexList(r, "blinded", kMaxPersonKeysPerRequest);
    return m;
  });
}

Decoded<PersonKeyReply> DecodePersonKeyReply(std::string_view text, const DecodeLimits& limits) {
  return Guard<PersonKeyReply>(text, limits, [](const ObjectReader& r) {
    PersonKeyReply m;
    m.evaluated = DecodeHexList(r, "evaluated", kMaxPersonKeysPerRequest);
    return m;
  });
}

Decoded<PushBatch> DecodePushBatch(std::string_view text, const DecodeLimits& limits) {
  return Guard<PushBatch>(text, limits, [&limits](const ObjectReader& r) {
    PushBatch m;
    m.practice = r.String("practice");
    m.from_seq = r.Unsigned("from_seq");
    m.to_seq = r.Unsigned("to_seq");
    if (m.from_seq == 0)
      Fail(DecodeErrorCode::kInvalidValue, "from_seq", "sequence numbers start at 1");
    if (m.to_seq < m.from_seq) Fail(DecodeErrorCode::kInvalidValue, "to_seq", "is before from_seq");
    const json::array& changes = r.Array("changes", limits.max_changes);
    if (changes.size() != m.to_seq - m.from_seq + 1) {
      Fail(DecodeErrorCode::kInvalidValue, "changes",
           "holds " + std::to_string(changes.size()) + " changes but from_seq..to_seq spans " +
               std::to_string(m.to_seq - m.from_seq + 1));
    }
    m.changes.reserve(changes.size());
    for (std::size_t i = 0; i < changes.size(); ++i) {
      ObjectReader c(changes[i], Indexed("changes", i), limits);
      Change change;
      change.seq = c.Unsigned("seq");
      if (change.seq != m.from_seq + i) {
        Fail(DecodeErrorCode::kInvalidValue, c.PathOf("seq"),
             "is " + std::to_string(change.seq) + ", expected " + std::to_string(m.from_seq + i));
      }
      change.dataset = c.String("dataset");
      change.key = c.String("key");
      std::string op = c.String("op");
      if (op == "upsert") {
        change.op = ChangeOp::kUpsert;
        change.fields = DecodeFields(c.Object("fields"));
      } else if (op == "delete") {
        change.op = ChangeOp::kDelete;
      } else {
        Fail(DecodeErrorCode::kInvalidValue, c.PathOf("op"), "must be \"upsert\" or \"delete\"");
      }
      change.version = c.Unsigned("version");
      change.base_version = c.Unsigned("base_version");
      m.changes.push_back(std::move(change));
    }
    return m;
  });
}

Decoded<PushReply> DecodePushReply(std::string_view text, const DecodeLimits& limits) {
  return Guard<PushReply>(text, limits, [&limits](const ObjectReader& r) {
    PushReply m;
    m.acknowledged_seq = r.Unsigned("acknowledged_seq");
    m.accepted = r.Unsigned("accepted");
    const json::array& outcomes = r.Array("outcomes", limits.max_changes);
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      ObjectReader o(outcomes[i], Indexed("outcomes", i), limits);
      ChangeOutcome outcome;
      outcome.seq = o.Unsigned("seq");
      std::string name = o.String("outcome");
      if (name == "accepted")
        outcome.outcome = Outcome::kAccepted;
      else if (name == "invalid")
        outcome.outcome = Outcome::kInvalid;
      else if (name == "conflict")
        outcome.outcome = Outcome::kConflict;
      else
        Fail(DecodeErrorCode::kInvalidValue, o.PathOf("outcome"), "is not a known outcome");
      const json::array& reasons = o.Array("reasons", limits.max_fields_per_record);
      for (std::size_t j = 0; j < reasons.size(); ++j) {
        ObjectReader f(reasons[j], Indexed(o.PathOf("reasons"), j), limits);
        outcome.reasons.push_back({f.String("field"), f.String("reason")});
      }
      m.outcomes.push_back(std::move(outcome));
    }
    if (r.Has("receipt")) {
      ObjectReader o = r.Object("receipt");
      Receipt receipt;
      receipt.practice = o.String("practice");
      receipt.from_seq = o.Unsigned("from_seq");
      receipt.to_seq = o.Unsigned("to_seq");
      receipt.acknowledged_seq = o.Unsigned("acknowledged_seq");
      receipt.changes_sha256 = o.String("changes_sha256");
      receipt.at_ms = o.Unsigned("at_ms");
      receipt.public_key = o.String("public_key");
      receipt.signature = o.String("signature");
      m.receipt = std::move(receipt);
    }
    return m;
  });
}

Decoded<ErrorReply> DecodeErrorReply(std::string_view text, const DecodeLimits& limits) {
  return Guard<ErrorReply>(text, limits, [](const ObjectReader& r) {
    ErrorReply m;
    if (r.Has("code")) {  // an RFC 9457 problem document
      m.code = r.String("code");
      m.message = r.String("detail");
      m.resume_from = r.OptionalUnsigned("resume_from");
      return m;
    }
    ObjectReader e = r.Object("error");  // a 1.0 server's error object
    m.code = e.String("code");
    m.message = e.String("message");
    m.resume_from = e.OptionalUnsigned("resume_from");
    return m;
  });
}

Decoded<PullReply> DecodePullReply(std::string_view text, const DecodeLimits& limits) {
  return Guard<PullReply>(text, limits, [&limits](const ObjectReader& r) {
    PullReply m;
    m.cursor = r.Unsigned("cursor");
    m.more = r.Bool("more");
    m.acknowledged_seq = r.OptionalUnsigned("acknowledged_seq");
    const json::array& notices = r.Array("notices", limits.max_changes);
    std::uint64_t previous = 0;
    for (std::size_t i = 0; i < notices.size(); ++i) {
      ObjectReader n(notices[i], Indexed("notices", i), limits);
      Notice notice;
      notice.id = n.Unsigned("id");
      if (notice.id <= previous) {
        Fail(DecodeErrorCode::kInvalidValue, n.PathOf("id"), "must increase");
      }
      previous = notice.id;
      notice.kind = n.String("kind");
      notice.fields = DecodeFields(n.Object("fields"));
      m.notices.push_back(std::move(notice));
    }
    if (!m.notices.empty() && m.cursor < previous) {
      Fail(DecodeErrorCode::kInvalidValue, "cursor", "is before the last notice");
    }
    return m;
  });
}

}  // namespace tributary::protocol
