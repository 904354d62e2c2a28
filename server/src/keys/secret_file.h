// The secrets the server keeps outside its store (docs/operations.md, "The
// server's keys"), in the data directory as tributary/common/secret_file.h
// keeps secrets (or systemd credentials):
//
//   oprf.key      person keys' OPRF key      person_keys/oprf_key_file.h
//   signing.key   receipts and checkpoints    keys/server_keys.h
//   audit.key     the audit chain's HMAC      keys/server_keys.h
#pragma once

#include <functional>
#include <string>

#include "enrol/server_identity.h"
#include "tributary/common/error.h"

namespace tributary::server {

// Whether the credential or the file is there.
bool SecretExists(const ServerPaths& paths, const std::string& name);

// The secret's text, without trailing white space. Throws Error(kNotFound)
// when neither the credential nor the file exists (`missing` says what to
// do), Error(kForbidden) when others than its owner may read the file.
std::string ReadSecret(const ServerPaths& paths, const std::string& name,
                       const std::string& missing);

// Writes DATA_DIR/NAME (0600). Throws Error(kAlreadyExists) when it is there:
// secrets are never replaced.
void WriteNewSecret(const ServerPaths& paths, const std::string& name, const std::string& text);

// `parse(text)`: the secret NAME's text made into its key, any Error the
// parsing throws reported as Error(kCorruption) naming DATA_DIR/NAME.
template <typename Parse>
auto ParseSecret(const ServerPaths& paths, const std::string& name, const std::string& text,
                 const Parse& parse) -> decltype(parse(text)) {
  try {
    return parse(text);
  } catch (const Error& e) {
    throw Error::Corruption((paths.dir / name).string() + ": " + e.what());
  }
}

// ReadSecret, writing `make()` first when there is neither credential nor
// file (a data directory from before that secret), and saying so in the log.
std::string ReadOrCreateSecret(const ServerPaths& paths, const std::string& name,
                               const std::function<std::string()>& make);

}  // namespace tributary::server
