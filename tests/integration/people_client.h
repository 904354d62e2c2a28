// An HTTPS client as a person's tool (curl, a browser, R) would be: it trusts
// the test server's CA and presents no client certificate.
#pragma once

#include "cluster.h"
#include "sync/https_client.h"
#include "tributary/common/files.h"

namespace tributary::testing {

inline agent::HttpsClient PeopleClientFor(const ServerUnderTest& server) {
  agent::HttpsClientOptions options;
  options.ca_certificate_pem = files::Read(server.data_dir() / "ca.pem");
  return agent::HttpsClient(options);
}

}  // namespace tributary::testing
