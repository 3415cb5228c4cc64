#pragma once
// Certificate plumbing shared by the CA, chain verification and the CLI.
#include <string>

#include "core/clock.hpp"
#include "crypto/ossl.hpp"
#include "crypto/signer.hpp"

namespace eseal::pki {

// AlgorithmIdentifier for a signature: SM2-with-SM3 1.2.156.10197.1.501 (GM/T 0006), and
// RFC 5758 §3.2 / RFC 4055 for ECDSA and RSA (parameters absent for ECDSA and SM2, NULL for RSA).
[[nodiscard]] crypto::X509AlgorPtr signature_algorithm_id(crypto::SignatureAlgorithm alg);
[[nodiscard]] std::optional<crypto::SignatureAlgorithm> signature_algorithm_of(const X509* cert);

// Sets the TBS signature algorithm, signs DER(TBSCertificate) with the signer and returns the
// finished certificate (RFC 5280 §4.1.1): the key may live anywhere the Signer reaches.
[[nodiscard]] core::Result<crypto::X509Ptr> sign_certificate(X509* tbs, const crypto::Signer& signer);
// The same, giving the certificate's DER without parsing it back (parsing decodes the public
// key again, which costs more than an ECDSA signature in OpenSSL 3.0).
[[nodiscard]] core::Result<core::Bytes> sign_certificate_der(X509* tbs, const crypto::Signer& signer);

// Reads one certificate, PEM or DER.
[[nodiscard]] core::Result<crypto::X509Ptr> parse_certificate(core::ByteView data);
// Reads every certificate in a PEM bundle (or one DER certificate).
[[nodiscard]] core::Result<std::vector<crypto::X509Ptr>> parse_certificates(core::ByteView data);
[[nodiscard]] core::Bytes certificate_der(const X509* cert);
[[nodiscard]] std::string certificate_pem(const X509* cert);

[[nodiscard]] std::string serial_hex(const X509* cert);          // lowercase, no leading zeros
[[nodiscard]] std::string name_rfc2253(const X509_NAME* name);   // UTF-8, RFC 2253 order
[[nodiscard]] std::string name_entry(const X509_NAME* name, int nid);  // first value, UTF-8; "" if absent
[[nodiscard]] core::TimePoint to_time_point(const ASN1_TIME* t);
[[nodiscard]] std::string key_sha256_hex(const EVP_PKEY* key);
// From the SubjectPublicKeyInfo as it was received (no re-encoding of the key).
[[nodiscard]] std::string key_sha256_hex(const X509_PUBKEY* spki);
[[nodiscard]] std::string serial_hex(core::ByteView big_endian);

// For a certificate signed with SM2-with-SM3, sets the distinguishing ID that X509_verify uses;
// leaves other certificates alone.
void set_sm2_id(X509* cert);

}  // namespace eseal::pki
