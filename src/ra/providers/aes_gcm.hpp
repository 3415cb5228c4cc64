#pragma once
// AES-256-GCM with associated data (NIST SP 800-38D), as payment services use it to encrypt
// notification resources: the output is ciphertext || 16-byte tag.
#include <string_view>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace eseal::ra::providers {

inline constexpr std::size_t kGcmTagSize = 16;

[[nodiscard]] core::Result<core::Bytes> aes_256_gcm_seal(core::ByteView key, core::ByteView nonce,
                                                         core::ByteView aad,
                                                         core::ByteView plaintext);
// Errc::crypto "aead.open_failed" for a wrong key, nonce or associated data, or an altered
// ciphertext: GCM cannot tell which.
[[nodiscard]] core::Result<std::string> aes_256_gcm_open(core::ByteView key, core::ByteView nonce,
                                                         core::ByteView aad, core::ByteView sealed);

}  // namespace eseal::ra::providers
