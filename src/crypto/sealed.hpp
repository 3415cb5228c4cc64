#pragma once
// Secrets the CA must keep but never hold in clear at rest (a token's SO PIN): AES-256-GCM
// under a key derived from the CA passphrase with PBKDF2-HMAC-SHA256 (RFC 8018 §5.2).
// Format: "ES1" | salt (16) | nonce (12) | ciphertext | tag (16).
#include "core/bytes.hpp"
#include "core/error.hpp"
#include "core/secure_string.hpp"

namespace eseal::crypto {

[[nodiscard]] core::Result<core::Bytes> seal(const core::SecureString& passphrase, core::ByteView plaintext);
// A wrong passphrase or an altered blob gives Errc::crypto "sealed.unreadable".
[[nodiscard]] core::Result<core::SecureString> unseal(const core::SecureString& passphrase, core::ByteView sealed);

}  // namespace eseal::crypto
