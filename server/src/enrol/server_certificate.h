// The server's own TLS certificate, issued by the internal CA for the
// server's names: renewed before it ends (`tributary-server certificate
// renew`; agents trust the CA, so nothing changes for them), and warned
// about from kCertificateWarning before it, and before the CA's own end, in
// `agents`, /metrics and the log.
//
// Functions throw Error(kNotFound) when the data directory has no
// certificate (run init), Error(kInvalidInput) for one that cannot be read,
// Error(kIo) when files cannot be written. Thread-safe (no shared state).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "enrol/server_identity.h"
#include "tributary/common/pki.h"

namespace tributary::server {

// Within the 398 days browsers and scanners accept.
inline constexpr std::chrono::seconds kServerCertificateValidity{std::chrono::hours(24 * 397)};
// Warnings begin this long before a certificate ends.
inline constexpr std::chrono::seconds kCertificateWarning{std::chrono::hours(24 * 60)};

// The certificates a running server presents: its own, and the CA's that
// agents pin.
struct ServedCertificates {
  pki::CertificateInfo server;
  pki::CertificateInfo ca;
};
ServedCertificates ReadServedCertificates(const ServerPaths& paths);

// One line for each certificate that ends within kCertificateWarning of
// `now` (or has ended), saying when and what to do; none when both are far
// from their end.
std::vector<std::string> CertificateWarnings(const ServedCertificates& served,
                                             std::chrono::system_clock::time_point now);

// Replaces server.pem and server.key with a new key and a certificate valid
// kServerCertificateValidity, for `hostnames` (empty: the current
// certificate's names), naming the current certificate's CRL URL (or, for
// new names, the first name's at the same port). The pair is replaced as
// tributary/common/key_pair_files.h says. Returns the new certificate's facts. A
// running server presents it once restarted.
pki::CertificateInfo RenewServerCertificate(const ServerPaths& paths, const pki::Authority& ca,
                                            std::vector<std::string> hostnames);

// Completes a renewal a crash interrupted. `serve` calls it before reading
// the pair.
void FinishServerCertificateRenewal(const ServerPaths& paths);

}  // namespace tributary::server
