// The server's data directory and its identity: the internal CA that issues
// agent certificates, the server's own TLS certificate, and the store.
//
// Layout of DIR: server.db (store), ca.pem, ca.key, server.pem, server.key
// (keys mode 0600).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tributary/common/pki.h"

namespace tributary::server {

struct ServerPaths {
  std::filesystem::path dir;
  std::filesystem::path Database() const { return dir / "server.db"; }
  std::filesystem::path CaCertificate() const { return dir / "ca.pem"; }
  std::filesystem::path CaKey() const { return dir / "ca.key"; }
  std::filesystem::path Certificate() const { return dir / "server.pem"; }
  std::filesystem::path Key() const { return dir / "server.key"; }
};

// Creates DIR with a new CA, a server certificate for `hostnames`, the store
// and the ICS's person-key secret. Refuses (Error kAlreadyExists) if DIR
// already holds a CA: re-initialising would orphan every enrolled agent.
void InitialiseDataDir(const ServerPaths& paths, const std::vector<std::string>& hostnames);

// Reads the CA from DIR. Throws Error(kNotFound) telling to run init.
pki::Authority LoadAuthority(const ServerPaths& paths);

}  // namespace tributary::server
