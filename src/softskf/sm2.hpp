#pragma once
// SM2 on bytes, the way a smart token sees it: a 32-byte private scalar, the public point as
// X||Y, and signatures over a 32-byte digest e that the caller has already computed as
// SM3(Z||M) (GB/T 32918.2 §6.1 steps A1-A2 happen outside; the token does A3-A7).
#include <array>
#include <cstdint>
#include <optional>

#include "bytes.hpp"

namespace eseal::softskf {

inline constexpr std::size_t kSm2ScalarBytes = 32;
inline constexpr std::size_t kSm3DigestBytes = 32;

using Sm2Point = std::array<std::uint8_t, 64>;      // X || Y, big-endian
using Sm2Signature = std::array<std::uint8_t, 64>;  // r || s, big-endian
using Sm3Digest = std::array<std::uint8_t, kSm3DigestBytes>;

struct Sm2KeyPair {
    SecureBytes private_scalar;  // 32 bytes
    Sm2Point public_point;
};

[[nodiscard]] std::optional<Sm2KeyPair> sm2_generate();

// d·G, or nullopt when d is not in [1, n-2] (GB/T 32918.1 §6.1: SM2 needs 1+d invertible).
[[nodiscard]] std::optional<Sm2Point> sm2_public_from_private(ByteView private_scalar);

// Signs the 32-byte digest e directly (no Z, no hashing).
[[nodiscard]] std::optional<Sm2Signature> sm2_sign_digest(ByteView private_scalar,
                                                          const Sm2Point& public_point,
                                                          ByteView digest);

enum class Sm2Verdict { valid, invalid, bad_public_key };
[[nodiscard]] Sm2Verdict sm2_verify_digest(const Sm2Point& public_point, ByteView digest,
                                           const Sm2Signature& signature);

// Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA), GB/T 32918.2 §5.5; ID at most 8191
// bytes (ENTL is a 16-bit bit count).
[[nodiscard]] std::optional<Sm3Digest> sm2_z(const Sm2Point& public_point, ByteView id);

inline constexpr std::size_t kSm2MaxIdBytes = 8191;

}  // namespace eseal::softskf
