#include "seal/algorithm_oid.hpp"

namespace eseal::seal {

std::string_view signature_oid(crypto::SignatureAlgorithm alg) noexcept {
    switch (alg) {
        case crypto::SignatureAlgorithm::sm2_sm3:
            return kOidSm2WithSm3;
        case crypto::SignatureAlgorithm::ecdsa_sha256:
            return kOidEcdsaWithSha256;
        case crypto::SignatureAlgorithm::rsa_sha256:
            return kOidSha256WithRsa;
    }
    return kOidSm2WithSm3;
}

std::optional<crypto::SignatureAlgorithm> signature_algorithm_of_oid(
    std::string_view dotted) noexcept {
    if (dotted == kOidSm2WithSm3)
        return crypto::SignatureAlgorithm::sm2_sm3;
    if (dotted == kOidEcdsaWithSha256)
        return crypto::SignatureAlgorithm::ecdsa_sha256;
    if (dotted == kOidSha256WithRsa)
        return crypto::SignatureAlgorithm::rsa_sha256;
    return std::nullopt;
}

}  // namespace eseal::seal
