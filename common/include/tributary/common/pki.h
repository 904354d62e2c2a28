// Keys, certificate requests and the internal certificate authority.
//
// Every key is ECDSA P-256. PEM text crosses this API so that callers never
// hold an OpenSSL pointer; the RAII handles live in openssl_handles.h.
// All functions throw tributary::Error (kCrypto, or kInvalidInput for
// malformed PEM) and are thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace tributary::pki {

// A new ECDSA P-256 private key as PKCS#8 PEM.
std::string GeneratePrivateKeyPem();

// A certificate signing request for `key_pem`, subject CN=`common_name`.
std::string MakeCsrPem(const std::string& key_pem, const std::string& common_name);

// A self-signed CA: CN=`name`, basicConstraints CA:TRUE, keyCertSign|cRLSign.
struct Authority {
  std::string certificate_pem;
  std::string key_pem;
};
Authority CreateAuthority(const std::string& name, std::chrono::seconds validity);

// A TLS server certificate signed by `ca`, with each hostname (or IP
// address literal) as a subjectAltName, extendedKeyUsage serverAuth, and
// `crl_url` (when given) as its CRL distribution point.
std::string IssueServerCertificate(const Authority& ca, const std::string& key_pem,
                                   const std::vector<std::string>& hostnames,
                                   std::chrono::seconds validity, const std::string& crl_url = "");

// A certificate revocation list signed by `ca` (DER): each serial (lower-case
// hex) revoked at its time, valid for `validity` from now.
struct RevokedCertificate {
  std::string serial_hex;
  std::chrono::system_clock::time_point revoked_at;
};
std::string IssueCrlDer(const Authority& ca, const std::vector<RevokedCertificate>& revoked,
                        std::chrono::seconds validity);

// Signs a client CSR after checking its self-signature. The certificate's
// subject is CN=`practice_code` whatever the CSR asked for; extendedKeyUsage
// clientAuth. Serial numbers are 128 random bits.
struct IssuedCertificate {
  std::string certificate_pem;
  std::string serial_hex;  // lower-case hex, no leading zeros stripped
  std::chrono::system_clock::time_point not_after;
};
IssuedCertificate SignClientRequest(const Authority& ca, const std::string& csr_pem,
                                    const std::string& practice_code,
                                    std::chrono::seconds validity);

// Facts read from a PEM certificate.
struct CertificateInfo {
  std::string common_name;
  std::string serial_hex;
  std::string sha256_hex;  // SHA-256 of the DER encoding, lower-case hex
  std::chrono::system_clock::time_point not_after;
  std::vector<std::string> hostnames;  // subjectAltName DNS names and IP addresses, in order
  std::string crl_url;                 // the first CRL distribution point's URI; "" if none
  bool is_ca = false;                  // basicConstraints CA:TRUE
};
CertificateInfo ReadCertificate(const std::string& certificate_pem);
// Whether `key_pem` is the private key of `certificate_pem`'s public key.
bool KeyMatchesCertificate(const std::string& certificate_pem, const std::string& key_pem);

// Whether `certificate_pem`'s signature verifies with `issuer_pem`'s key.
bool SignedBy(const std::string& certificate_pem, const std::string& issuer_pem);

// Each certificate of a PEM bundle (one after another), in order. Throws
// Error(kInvalidInput) when it holds none, or anything else between them.
std::vector<CertificateInfo> ReadCertificates(const std::string& bundle_pem);

}  // namespace tributary::pki
