// Secrets kept outside a store, so that a copy of the store alone gives none
// of them. A secret NAME is read from
//
//   the systemd credential NAME ($CREDENTIALS_DIRECTORY/NAME), when the
//     service is given one (LoadCredential= or LoadCredentialEncrypted=);
//   else DIR/NAME, mode 0600, owned by the service.
//
// The server keeps its OPRF, signing and audit keys so (server/src/keys/),
// the agent its store's key (agent/src/store/store_encryption.h). Thread-safe (no
// shared state); the files are the caller's to keep from concurrent writers.
#pragma once

#include <filesystem>
#include <string>

namespace tributary::secrets {

// Whether the credential or the file is there.
bool Exists(const std::filesystem::path& dir, const std::string& name);

// The secret's text, without trailing white space. Throws Error(kNotFound)
// when neither the credential nor the file exists (`missing` says what to
// do), Error(kForbidden) when others than its owner may read the file.
std::string Read(const std::filesystem::path& dir, const std::string& name,
                 const std::string& missing);

// Writes DIR/NAME (0600, whatever the umask). Throws Error(kAlreadyExists)
// when it is there: secrets are never replaced.
void WriteNew(const std::filesystem::path& dir, const std::string& name, const std::string& text);

}  // namespace tributary::secrets
