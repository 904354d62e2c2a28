// `audit verify [--checkpoints FILE]`, `audit export [--to FILE]` and
// `audit checkpoint`: the audit log's keyed chain (audit/audit_log.h) and its
// signed checkpoints (audit/audit_checkpoints.h), checked end to end and
// written out for safekeeping elsewhere (docs/design.md invariant 6).
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "audit/audit_service.h"
#include "cli/command_store.h"
#include "cli/server_commands.h"
#include "keys/server_keys.h"
#include "store/server_store.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

namespace tributary::server {
namespace json = boost::json;
namespace {

json::object ToJson(const AuditEntry& e) {
  return {{"id", e.id},
          {"at_ms", e.at_ms},
          {"actor", e.actor},
          {"action", e.action},
          {"subject", e.subject},
          {"detail", e.detail},
          {"previous_hash", e.previous_hash},
          {"hash", e.hash},
          {"keyed", e.keyed}};
}

json::object ToJson(const AuditCheckpoint& c) {
  return {{"entries", c.entries},
          {"head", c.head},
          {"at_ms", c.at_ms},
          {"public_key", c.public_key},
          {"signature", c.signature}};
}

// The checkpoints of an export (one JSON object a line; entries are skipped).
std::vector<AuditCheckpoint> ReadCheckpoints(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error::NotFound("cannot read " + file.string());
  std::vector<AuditCheckpoint> out;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::string where = file.string() + ":" + std::to_string(number) + ": ";
    std::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) throw Error::InvalidInput(where + "not a JSON object");
    const json::value* c = v.as_object().if_contains("checkpoint");
    if (c == nullptr) continue;
    try {
      const json::object& o = c->as_object();
      out.push_back({o.at("entries").to_number<std::int64_t>(),
                     std::string(o.at("head").as_string()), o.at("at_ms").to_number<std::int64_t>(),
                     std::string(o.at("public_key").as_string()),
                     std::string(o.at("signature").as_string())});
    } catch (const std::exception& e) {
      throw Error::InvalidInput(where +
                                "a checkpoint needs entries, head, at_ms, public_key and "
                                "signature (" +
                                e.what() + ")");
    }
  }
  return out;
}

int Verify(const Arguments& args, ServerStore& store, const ServerPaths& paths) {
  if (auto broken = AuditService(store).FirstBrokenEntry()) {
    throw Error::Conflict("the audit log's chain breaks at entry " + std::to_string(*broken) +
                          ": it or an earlier entry was changed or removed, or written without "
                          "the audit key");
  }
  std::vector<AuditCheckpoint> checkpoints = AuditService(store).CheckpointsKept();
  std::size_t kept = checkpoints.size();
  if (auto file = args.Get("checkpoints")) {
    std::vector<AuditCheckpoint> outside = ReadCheckpoints(*file);
    checkpoints.insert(checkpoints.end(), outside.begin(), outside.end());
  }
  std::vector<std::string> problems =
      AuditService(store).CheckCheckpoints(checkpoints, LoadSigningKey(paths).PublicKeyHex());
  if (!problems.empty()) {
    std::string text;
    for (const std::string& p : problems) text += "\n  " + p;
    throw Error::Conflict("the audit log does not reach its signed checkpoints:" + text);
  }
  std::printf(
      "audit log verified: %lld entries, keyed chain intact; %zu signed checkpoints hold (%zu "
      "kept in the store, %zu from elsewhere)\n",
      static_cast<long long>(AuditService(store).Count()), checkpoints.size(), kept,
      checkpoints.size() - kept);
  return kExitOk;
}

int Export(const Arguments& args, ServerStore& store) {
  std::string text;
  for (const AuditEntry& e : AuditService(store).Entries()) {
    text += json::serialize(json::object{{"entry", ToJson(e)}}) + "\n";
  }
  for (const AuditCheckpoint& c : AuditService(store).CheckpointsKept()) {
    text += json::serialize(json::object{{"checkpoint", ToJson(c)}}) + "\n";
  }
  if (auto to = args.Get("to")) {
    files::WriteAtomic(*to, text);
    std::printf("audit log written to %s\n", to->c_str());
  } else {
    std::cout << text;
  }
  return kExitOk;
}

}  // namespace

int RunAudit(const Arguments& args) {
  std::string action = args.Positional(1);
  if (args.positional().size() != 2 ||
      (action != "verify" && action != "export" && action != "checkpoint")) {
    throw Error::InvalidArgument(
        "usage: tributary-server audit verify [--checkpoints FILE] | audit export [--to FILE] | "
        "audit checkpoint");
  }
  if (action == "verify") {
    args.AllowOnly({"config", "data-dir", "checkpoints"});
  } else if (action == "export") {
    args.AllowOnly({"config", "data-dir", "to"});
  } else {
    args.AllowOnly({"config", "data-dir"});
  }
  ServerPaths paths = PathsFrom(args);
  LoadAuthority(paths);
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  if (action == "export") return Export(args, store);
  if (action == "checkpoint") {
    AuditCheckpoint c = AuditService(store).Checkpoint(LoadSigningKey(paths));
    std::printf("audit checkpoint signed: %lld entries, head %s\n",
                static_cast<long long>(c.entries), c.head.c_str());
    return kExitOk;
  }
  return Verify(args, store, paths);
}

}  // namespace tributary::server
