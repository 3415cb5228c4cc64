#pragma once
// Assembles and signs one certificate from its parts; used for CA and end-entity certificates.
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "crypto/ossl.hpp"
#include "crypto/signer.hpp"
#include "pki/ports.hpp"

namespace eseal::pki {

struct CertificateTemplate {
    const X509_NAME* subject = nullptr;
    EVP_PKEY* public_key = nullptr;
    core::Bytes serial;                   // big-endian, positive
    core::TimePoint not_before{};
    core::TimePoint not_after{};
    std::vector<std::pair<int, std::string>> extensions;  // OpenSSL config syntax, in order
    std::string identify_code;            // GM/T 0015 resident ID, if any
};

// issuer == nullptr: self-signed (the subject is the issuer and the key signs itself).
[[nodiscard]] core::Result<crypto::X509Ptr> build_certificate(const CertificateTemplate& t, X509* issuer,
                                                              const crypto::Signer& signer);

// The same, as DER (no parse back: the CA's hot path).
[[nodiscard]] core::Result<core::Bytes> build_certificate_der(const CertificateTemplate& t, X509* issuer,
                                                              const crypto::Signer& signer);

// RFC 5280 §4.1.2.2: positive, at most 20 octets; 128 random bits, and not yet in the store.
[[nodiscard]] core::Result<core::Bytes> new_serial(CertificateRepository& repository);

}  // namespace eseal::pki
