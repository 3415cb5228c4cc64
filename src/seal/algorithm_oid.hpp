#pragma once
// Signature algorithm identifiers of the seal formats (SESeal.signAlgID, SES_Signature
// .signatureAlgID): SM2-with-SM3 1.2.156.10197.1.501 (GM/T 0006, GB/T 33560) for the GM suite;
// ecdsa-with-SHA256 1.2.840.10045.4.3.2 (RFC 5758 §3.2) and sha256WithRSAEncryption
// 1.2.840.113549.1.1.11 (RFC 4055) for the international one.
#include <optional>
#include <string_view>

#include "crypto/algorithm.hpp"

namespace eseal::seal {

inline constexpr std::string_view kOidSm2WithSm3 = "1.2.156.10197.1.501";
inline constexpr std::string_view kOidEcdsaWithSha256 = "1.2.840.10045.4.3.2";
inline constexpr std::string_view kOidSha256WithRsa = "1.2.840.113549.1.1.11";

[[nodiscard]] std::string_view signature_oid(crypto::SignatureAlgorithm alg) noexcept;
[[nodiscard]] std::optional<crypto::SignatureAlgorithm> signature_algorithm_of_oid(
    std::string_view dotted) noexcept;

}  // namespace eseal::seal
