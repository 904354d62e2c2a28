// The secrets the server keeps outside its store (docs/operations.md, "The
// server's keys"), so that a copy of the store alone gives none of them:
//
//   the systemd credential NAME ($CREDENTIALS_DIRECTORY/NAME), when the
//     service is given one (LoadCredential= or LoadCredentialEncrypted=);
//   else DATA_DIR/NAME, mode 0600, owned by the service.
//
//   oprf.key      person keys' OPRF key      person_keys/oprf_key_file.h
//   signing.key   receipts and checkpoints    keys/server_keys.h
//   audit.key     the audit chain's HMAC      keys/server_keys.h
#pragma once

#include <functional>
#include <string>

#include "enrol/server_identity.h"

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

// ReadSecret, writing `make()` first when there is neither credential nor
// file (a data directory from before that secret), and saying so in the log.
std::string ReadOrCreateSecret(const ServerPaths& paths, const std::string& name,
                               const std::function<std::string()>& make);

}  // namespace tributary::server
