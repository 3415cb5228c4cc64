#include "crypto/algorithm.hpp"

namespace eseal::crypto {

std::string_view to_string(KeyAlgorithm a) noexcept {
    switch (a) {
        case KeyAlgorithm::sm2: return "sm2";
        case KeyAlgorithm::ecdsa_p256: return "ecdsa-p256";
        case KeyAlgorithm::rsa2048: return "rsa2048";
        case KeyAlgorithm::rsa3072: return "rsa3072";
    }
    return "?";
}

std::string_view to_string(SignatureAlgorithm a) noexcept {
    switch (a) {
        case SignatureAlgorithm::sm2_sm3: return "SM2-with-SM3";
        case SignatureAlgorithm::ecdsa_sha256: return "ecdsa-with-SHA256";
        case SignatureAlgorithm::rsa_sha256: return "sha256WithRSAEncryption";
    }
    return "?";
}

std::optional<KeyAlgorithm> parse_key_algorithm(std::string_view name) noexcept {
    if (name == "sm2") return KeyAlgorithm::sm2;
    if (name == "ecdsa-p256" || name == "p256") return KeyAlgorithm::ecdsa_p256;
    if (name == "rsa2048") return KeyAlgorithm::rsa2048;
    if (name == "rsa3072") return KeyAlgorithm::rsa3072;
    return std::nullopt;
}

SignatureAlgorithm signature_algorithm_for(KeyAlgorithm a) noexcept {
    switch (a) {
        case KeyAlgorithm::sm2: return SignatureAlgorithm::sm2_sm3;
        case KeyAlgorithm::ecdsa_p256: return SignatureAlgorithm::ecdsa_sha256;
        case KeyAlgorithm::rsa2048:
        case KeyAlgorithm::rsa3072: return SignatureAlgorithm::rsa_sha256;
    }
    return SignatureAlgorithm::rsa_sha256;
}

Suite suite_of(KeyAlgorithm a) noexcept { return a == KeyAlgorithm::sm2 ? Suite::gm : Suite::international; }
Suite suite_of(SignatureAlgorithm a) noexcept {
    return a == SignatureAlgorithm::sm2_sm3 ? Suite::gm : Suite::international;
}
std::string_view to_string(Suite s) noexcept { return s == Suite::gm ? "GM (SM2/SM3)" : "international"; }

}  // namespace eseal::crypto
