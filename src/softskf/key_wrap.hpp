#pragma once
// Protection of secrets at rest: AES-256-GCM sealing, and the keys derived from a PIN.
//
// Each application has a random 32-byte data key (DEK); private keys are sealed under the DEK,
// and the DEK is sealed twice: under a key-encryption key (KEK) derived from the user PIN and
// under one derived from the admin PIN. A PIN is run through scrypt (RFC 7914) with its own salt;
// two keys are expanded from the result with HMAC-SHA256 under distinct labels: the verifier that
// is stored (to tell a wrong PIN from a corrupted file), and the KEK that is not.
#include <cstdint>
#include <optional>
#include <string_view>

#include "bytes.hpp"

namespace eseal::softskf {

inline constexpr std::size_t kDataKeyBytes = 32;  // AES-256
inline constexpr std::size_t kGcmNonceBytes = 12;
inline constexpr std::size_t kGcmTagBytes = 16;
inline constexpr std::size_t kPinSaltBytes = 16;
inline constexpr std::size_t kPinVerifierBytes = 32;

struct Sealed {
    Bytes nonce;  // 12 bytes, random per sealing
    Bytes ciphertext;
    Bytes tag;  // 16 bytes
};

// nullopt only if the random generator or the cipher fails.
[[nodiscard]] std::optional<Sealed> seal(ByteView key, ByteView plaintext, ByteView aad);
// nullopt when the key or the associated data is wrong, or the ciphertext was altered.
[[nodiscard]] std::optional<SecureBytes> unseal(ByteView key, const Sealed& sealed, ByteView aad);

struct PinKdf {
    Bytes salt;
    std::uint64_t n = 0;  // scrypt cost parameters, stored with each PIN so they can change
    std::uint32_t r = 0;
    std::uint32_t p = 0;
};

// A fresh salt and today's parameters: N=2^14, r=8, p=1 (RFC 7914 §2's interactive setting;
// about 16 MiB and 0.1 s per PIN check).
[[nodiscard]] std::optional<PinKdf> new_pin_kdf();

struct PinKeys {
    SecureBytes verifier;  // stored
    SecureBytes kek;       // never stored
};

[[nodiscard]] std::optional<PinKeys> derive_pin_keys(std::string_view pin, const PinKdf& kdf);

[[nodiscard]] std::optional<SecureBytes> random_secret(std::size_t length);

}  // namespace eseal::softskf
