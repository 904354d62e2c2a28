#include "tributary/common/pki.h"

#ifdef _WIN32
#include <ws2tcpip.h>  // inet_ntop
#else
#include <arpa/inet.h>
#endif
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <functional>

#include "openssl_handles.h"

namespace tributary::pki {
namespace {

using ossl::Check;

// Certificates start a little in the past so a peer whose clock is slightly
// behind does not reject them as not yet valid.
constexpr long kBackdateSeconds = 5 * 60;

std::string ToPem(const std::function<int(BIO*)>& write, const char* what) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  Check(bio != nullptr, "BIO_new");
  Check(write(bio.get()) == 1, what);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

ossl::Bio ReadBio(const std::string& pem) {
  ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Check(bio != nullptr, "BIO_new_mem_buf");
  return bio;
}

ossl::Pkey LoadKey(const std::string& pem) {
  auto bio = ReadBio(pem);
  ossl::Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    ERR_clear_error();
    throw Error::InvalidInput("not a PEM private key");
  }
  return key;
}

ossl::X509Ptr LoadCertificate(const std::string& pem) {
  auto bio = ReadBio(pem);
  ossl::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    ERR_clear_error();
    throw Error::InvalidInput("not a PEM certificate");
  }
  return cert;
}

std::string KeyToPem(EVP_PKEY* key) {
  return ToPem(
      [key](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
      },
      "PEM_write_bio_PrivateKey");
}

std::string CertificateToPem(X509* cert) {
  return ToPem([cert](BIO* bio) { return PEM_write_bio_X509(bio, cert); }, "PEM_write_bio_X509");
}

bool IsP256(EVP_PKEY* key) {
  if (!EVP_PKEY_is_a(key, "EC")) return false;
  char group[64] = {0};
  std::size_t length = 0;
  if (EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &length) != 1) {
    return false;
  }
  return std::string(group) == "prime256v1" || std::string(group) == "P-256";
}

ossl::X509Name NameWithCn(const std::string& common_name) {
  ossl::X509Name name(X509_NAME_new());
  Check(name != nullptr, "X509_NAME_new");
  Check(X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                   -1, 0) == 1,
        "X509_NAME_add_entry_by_txt");
  return name;
}

void SetRandomSerial(X509* cert) {
  unsigned char bytes[16];
  Check(RAND_bytes(bytes, sizeof bytes) == 1, "RAND_bytes");
  bytes[0] &= 0x7F;  // a positive INTEGER
  bytes[0] |= 0x40;  // and never shorter than 16 bytes, so its hex form is stable
  ossl::Bignum bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  Check(bn != nullptr, "BN_bin2bn");
  Check(BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) != nullptr, "BN_to_ASN1_INTEGER");
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ossl::X509Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  Check(ext != nullptr, "extension " + value);
  Check(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

// A new v3 certificate for `subject_key`, valid from a few minutes ago.
ossl::X509Ptr NewCertificate(EVP_PKEY* subject_key, const std::string& common_name,
                             X509_NAME* issuer_name, std::chrono::seconds validity) {
  ossl::X509Ptr cert(X509_new());
  Check(cert != nullptr, "X509_new");
  Check(X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_set_version");
  SetRandomSerial(cert.get());
  auto subject = NameWithCn(common_name);
  Check(X509_set_subject_name(cert.get(), subject.get()) == 1, "X509_set_subject_name");
  Check(X509_set_issuer_name(cert.get(), issuer_name ? issuer_name : subject.get()) == 1,
        "X509_set_issuer_name");
  Check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) != nullptr,
        "notBefore");
  Check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(validity.count())) !=
            nullptr,
        "notAfter");
  Check(X509_set_pubkey(cert.get(), subject_key) == 1, "X509_set_pubkey");
  return cert;
}

void Sign(X509* cert, EVP_PKEY* key) { Check(X509_sign(cert, key, EVP_sha256()) > 0, "X509_sign"); }

std::string SerialHex(X509* cert) {
  ossl::Bignum bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  Check(bn != nullptr, "ASN1_INTEGER_to_BN");
  char* hex = BN_bn2hex(bn.get());
  Check(hex != nullptr, "BN_bn2hex");
  std::string out(hex);
  OPENSSL_free(hex);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string AsText(const ASN1_STRING* text) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                     static_cast<std::size_t>(ASN1_STRING_length(text)));
}

// An IPv4 or IPv6 subjectAltName as the text it was issued for.
std::string IpAddressText(const ASN1_OCTET_STRING* address) {
  const unsigned char* bytes = ASN1_STRING_get0_data(address);
  int length = ASN1_STRING_length(address);
  char text[INET6_ADDRSTRLEN] = {0};
  int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : 0;
  if (family == 0 || inet_ntop(family, bytes, text, sizeof text) == nullptr) return "";
  return text;
}

std::chrono::system_clock::time_point NotAfter(X509* cert) {
  std::tm tm{};
  Check(ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1, "ASN1_TIME_to_tm");
  using namespace std::chrono;
  sys_days date = year{tm.tm_year + 1900} / month{static_cast<unsigned>(tm.tm_mon + 1)} /
                  day{static_cast<unsigned>(tm.tm_mday)};
  return system_clock::time_point(date) + hours{tm.tm_hour} + minutes{tm.tm_min} +
         seconds{tm.tm_sec};
}

}  // namespace

std::string GeneratePrivateKeyPem() {
  ossl::Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  Check(key != nullptr, "generating an ECDSA P-256 key");
  return KeyToPem(key.get());
}

std::string MakeCsrPem(const std::string& key_pem, const std::string& common_name) {
  ossl::Pkey key = LoadKey(key_pem);
  ossl::X509Req req(X509_REQ_new());
  Check(req != nullptr, "X509_REQ_new");
  Check(X509_REQ_set_version(req.get(), X509_REQ_VERSION_1) == 1, "X509_REQ_set_version");
  auto name = NameWithCn(common_name);
  Check(X509_REQ_set_subject_name(req.get(), name.get()) == 1, "X509_REQ_set_subject_name");
  Check(X509_REQ_set_pubkey(req.get(), key.get()) == 1, "X509_REQ_set_pubkey");
  Check(X509_REQ_sign(req.get(), key.get(), EVP_sha256()) > 0, "X509_REQ_sign");
  return ToPem([&req](BIO* bio) { return PEM_write_bio_X509_REQ(bio, req.get()); },
               "PEM_write_bio_X509_REQ");
}

Authority CreateAuthority(const std::string& name, std::chrono::seconds validity) {
  ossl::Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  Check(key != nullptr, "generating the CA key");
  ossl::X509Ptr cert = NewCertificate(key.get(), name, nullptr, validity);
  AddExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  AddExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  Sign(cert.get(), key.get());
  return Authority{CertificateToPem(cert.get()), KeyToPem(key.get())};
}

std::string IssueServerCertificate(const Authority& ca, const std::string& key_pem,
                                   const std::vector<std::string>& hostnames,
                                   std::chrono::seconds validity, const std::string& crl_url) {
  if (hostnames.empty()) throw Error::InvalidArgument("a server certificate needs a hostname");
  ossl::Pkey key = LoadKey(key_pem);
  ossl::Pkey ca_key = LoadKey(ca.key_pem);
  ossl::X509Ptr ca_cert = LoadCertificate(ca.certificate_pem);
  ossl::X509Ptr cert =
      NewCertificate(key.get(), hostnames.front(), X509_get_subject_name(ca_cert.get()), validity);
  std::string san;
  for (const std::string& host : hostnames) {
    bool ip = host.find(':') != std::string::npos ||
              host.find_first_not_of("0123456789.") == std::string::npos;
    san += (san.empty() ? "" : ",") + std::string(ip ? "IP:" : "DNS:") + host;
  }
  AddExtension(cert.get(), ca_cert.get(), NID_subject_alt_name, san);
  AddExtension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature");
  AddExtension(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth");
  AddExtension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always");
  if (!crl_url.empty()) {
    AddExtension(cert.get(), ca_cert.get(), NID_crl_distribution_points, "URI:" + crl_url);
  }
  Sign(cert.get(), ca_key.get());
  return CertificateToPem(cert.get());
}

std::string IssueCrlDer(const Authority& ca, const std::vector<RevokedCertificate>& revoked,
                        std::chrono::seconds validity) {
  ossl::Pkey ca_key = LoadKey(ca.key_pem);
  ossl::X509Ptr ca_cert = LoadCertificate(ca.certificate_pem);
  std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(X509_CRL_new(), &X509_CRL_free);
  Check(crl != nullptr, "X509_CRL_new");
  Check(X509_CRL_set_version(crl.get(), 1) == 1, "X509_CRL_set_version");  // v2
  Check(X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca_cert.get())) == 1,
        "X509_CRL_set_issuer_name");
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> now(
      X509_gmtime_adj(nullptr, -kBackdateSeconds), &ASN1_TIME_free);
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> next(
      X509_gmtime_adj(nullptr, static_cast<long>(validity.count())), &ASN1_TIME_free);
  Check(now && next, "X509_gmtime_adj");
  Check(X509_CRL_set1_lastUpdate(crl.get(), now.get()) == 1, "lastUpdate");
  Check(X509_CRL_set1_nextUpdate(crl.get(), next.get()) == 1, "nextUpdate");
  for (const RevokedCertificate& r : revoked) {
    BIGNUM* raw = nullptr;
    Check(BN_hex2bn(&raw, r.serial_hex.c_str()) > 0, "serial " + r.serial_hex);
    ossl::Bignum bn(raw);
    ossl::Asn1Integer serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
    Check(serial != nullptr, "BN_to_ASN1_INTEGER");
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> at(
        ASN1_TIME_set(nullptr, std::chrono::system_clock::to_time_t(r.revoked_at)),
        &ASN1_TIME_free);
    X509_REVOKED* entry = X509_REVOKED_new();
    Check(entry != nullptr && at != nullptr, "X509_REVOKED_new");
    if (X509_REVOKED_set_serialNumber(entry, serial.get()) != 1 ||
        X509_REVOKED_set_revocationDate(entry, at.get()) != 1 ||
        X509_CRL_add0_revoked(crl.get(), entry) != 1) {
      X509_REVOKED_free(entry);
      throw ossl::CryptoError("X509_CRL_add0_revoked");
    }
  }
  Check(X509_CRL_sort(crl.get()) == 1, "X509_CRL_sort");
  Check(X509_CRL_sign(crl.get(), ca_key.get(), EVP_sha256()) > 0, "X509_CRL_sign");
  unsigned char* der = nullptr;
  int size = i2d_X509_CRL(crl.get(), &der);
  Check(size > 0, "i2d_X509_CRL");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

IssuedCertificate SignClientRequest(const Authority& ca, const std::string& csr_pem,
                                    const std::string& practice_code,
                                    std::chrono::seconds validity) {
  auto bio = ReadBio(csr_pem);
  ossl::X509Req req(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  if (!req) {
    ERR_clear_error();
    throw Error::InvalidInput("the certificate signing request is not a PEM CSR");
  }
  EVP_PKEY* public_key = X509_REQ_get0_pubkey(req.get());
  if (public_key == nullptr || X509_REQ_verify(req.get(), public_key) != 1) {
    ERR_clear_error();
    throw Error::InvalidInput("the certificate signing request's signature does not verify");
  }
  if (!IsP256(public_key)) {
    throw Error::InvalidInput("the certificate signing request's key is not ECDSA P-256");
  }
  ossl::Pkey ca_key = LoadKey(ca.key_pem);
  ossl::X509Ptr ca_cert = LoadCertificate(ca.certificate_pem);
  ossl::X509Ptr cert =
      NewCertificate(public_key, practice_code, X509_get_subject_name(ca_cert.get()), validity);
  AddExtension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature");
  AddExtension(cert.get(), ca_cert.get(), NID_ext_key_usage, "clientAuth");
  AddExtension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always");
  Sign(cert.get(), ca_key.get());
  return IssuedCertificate{CertificateToPem(cert.get()), SerialHex(cert.get()),
                           NotAfter(cert.get())};
}

CertificateInfo ReadCertificate(const std::string& certificate_pem) {
  ossl::X509Ptr cert = LoadCertificate(certificate_pem);
  CertificateInfo info;
  char cn[256] = {0};
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, cn, sizeof cn) >
      0) {
    info.common_name = cn;
  }
  info.serial_hex = SerialHex(cert.get());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  Check(X509_digest(cert.get(), EVP_sha256(), digest, &size) == 1, "X509_digest");
  static constexpr char kDigits[] = "0123456789abcdef";
  for (unsigned int i = 0; i < size; ++i) {
    info.sha256_hex.push_back(kDigits[digest[i] >> 4]);
    info.sha256_hex.push_back(kDigits[digest[i] & 0xF]);
  }
  info.not_after = NotAfter(cert.get());
  info.is_ca = X509_check_ca(cert.get()) == 1;
  std::unique_ptr<GENERAL_NAMES, decltype(&GENERAL_NAMES_free)> names(
      static_cast<GENERAL_NAMES*>(
          X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr)),
      &GENERAL_NAMES_free);
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) {
      info.hostnames.push_back(AsText(name->d.dNSName));
    } else if (name->type == GEN_IPADD) {
      info.hostnames.push_back(IpAddressText(name->d.iPAddress));
    }
  }
  std::unique_ptr<CRL_DIST_POINTS, decltype(&CRL_DIST_POINTS_free)> points(
      static_cast<CRL_DIST_POINTS*>(
          X509_get_ext_d2i(cert.get(), NID_crl_distribution_points, nullptr, nullptr)),
      &CRL_DIST_POINTS_free);
  for (int i = 0; points && info.crl_url.empty() && i < sk_DIST_POINT_num(points.get()); ++i) {
    const DIST_POINT* point = sk_DIST_POINT_value(points.get(), i);
    if (!point->distpoint || point->distpoint->type != 0) continue;  // 0: a list of names
    GENERAL_NAMES* full = point->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(full); ++j) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(full, j);
      if (name->type == GEN_URI) {
        info.crl_url = AsText(name->d.uniformResourceIdentifier);
        break;
      }
    }
  }
  return info;
}

bool KeyMatchesCertificate(const std::string& certificate_pem, const std::string& key_pem) {
  ossl::X509Ptr cert = LoadCertificate(certificate_pem);
  ossl::Pkey key = LoadKey(key_pem);
  bool matches = X509_check_private_key(cert.get(), key.get()) == 1;
  ERR_clear_error();
  return matches;
}

bool SignedBy(const std::string& certificate_pem, const std::string& issuer_pem) {
  ossl::X509Ptr cert = LoadCertificate(certificate_pem);
  ossl::X509Ptr issuer = LoadCertificate(issuer_pem);
  bool verifies = X509_verify(cert.get(), X509_get0_pubkey(issuer.get())) == 1;
  ERR_clear_error();
  return verifies;
}

std::vector<CertificateInfo> ReadCertificates(const std::string& bundle_pem) {
  static constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  std::vector<CertificateInfo> out;
  std::size_t from = 0;
  while (true) {
    std::size_t begin = bundle_pem.find_first_not_of(" \r\n", from);
    if (begin == std::string::npos) break;
    std::size_t end = bundle_pem.find(kEnd, begin);
    if (bundle_pem.compare(begin, 27, "-----BEGIN CERTIFICATE-----") != 0 ||
        end == std::string::npos) {
      throw Error::InvalidInput("not a bundle of PEM certificates");
    }
    end += kEnd.size();
    out.push_back(ReadCertificate(bundle_pem.substr(begin, end - begin)));
    from = end;
  }
  if (out.empty()) throw Error::InvalidInput("a bundle with no certificate");
  return out;
}

}  // namespace tributary::pki
