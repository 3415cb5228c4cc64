#pragma once
// What seal code needs to know of an X.509 certificate (the maker's, a signer's), read once from
// its DER so that no OpenSSL type reaches seal's headers.
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/algorithm.hpp"

namespace eseal::seal {

struct CertificateInfo {
    std::string subject;  // RFC 2253, UTF-8
    std::string issuer;
    std::string serial;  // lowercase hex
    core::TimePoint not_before{};
    core::TimePoint not_after{};
    core::Bytes public_key;  // DER SubjectPublicKeyInfo, as in the certificate
    std::optional<crypto::KeyAlgorithm> key_algorithm;
    bool is_ca = false;
    // keyUsage absent, or present with digitalSignature (RFC 5280 §4.2.1.3).
    bool may_sign = true;
};

// Errc::invalid_input with `error_code` when the bytes are not one DER certificate.
[[nodiscard]] core::Result<CertificateInfo> read_certificate(core::ByteView der,
                                                             std::string_view error_code);

[[nodiscard]] inline bool valid_at(const CertificateInfo& c, core::TimePoint t) noexcept {
    return c.not_before <= t && t <= c.not_after;
}

}  // namespace eseal::seal
