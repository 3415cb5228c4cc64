#pragma once
// The two suites of DESIGN §4: GM (SM2 + SM3) and international (ECDSA P-256, RSA, SHA-256).
#include <optional>
#include <string_view>

namespace eseal::crypto {

enum class KeyAlgorithm { sm2, ecdsa_p256, rsa2048, rsa3072 };
enum class SignatureAlgorithm { sm2_sm3, ecdsa_sha256, rsa_sha256 };
enum class Suite { gm, international };

// The distinguishing ID of GM/T 0009 §10 (= GB/T 35276): OpenSSL's default is the empty ID,
// which other GM software rejects, so it is set explicitly on every SM2 sign and verify.
inline constexpr std::string_view kSm2DefaultId = "1234567812345678";

[[nodiscard]] std::string_view to_string(KeyAlgorithm a) noexcept;   // "sm2", "ecdsa-p256", ...
[[nodiscard]] std::string_view to_string(SignatureAlgorithm a) noexcept;  // "SM2-with-SM3", ...
[[nodiscard]] std::optional<KeyAlgorithm> parse_key_algorithm(std::string_view name) noexcept;
[[nodiscard]] SignatureAlgorithm signature_algorithm_for(KeyAlgorithm a) noexcept;
[[nodiscard]] Suite suite_of(KeyAlgorithm a) noexcept;
[[nodiscard]] Suite suite_of(SignatureAlgorithm a) noexcept;
[[nodiscard]] std::string_view to_string(Suite s) noexcept;

}  // namespace eseal::crypto
