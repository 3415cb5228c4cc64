#pragma once
// Software private keys: generated in memory, kept on disk as encrypted PKCS#8 (RFC 5958 §3,
// PBES2 with AES-256-CBC) in a file only its owner can read (mode 0600).
#include <filesystem>

#include "core/secure_string.hpp"
#include "crypto/ossl.hpp"
#include "crypto/signer.hpp"

namespace eseal::crypto {

class SoftKey final : public Signer {
public:
    [[nodiscard]] static core::Result<SoftKey> generate(KeyAlgorithm alg);
    [[nodiscard]] static core::Result<SoftKey> load(const std::filesystem::path& file,
                                                    const core::SecureString& passphrase);
    // Unencrypted PEM (for test fixtures and keys made by other tools).
    [[nodiscard]] static core::Result<SoftKey> from_pem(std::string_view pem, const core::SecureString& passphrase = {});

    // Writes atomically (temporary file, then rename) with mode 0600; refuses to overwrite.
    [[nodiscard]] core::Result<void> save(const std::filesystem::path& file, const core::SecureString& passphrase) const;
    [[nodiscard]] core::Result<std::string> to_encrypted_pem(const core::SecureString& passphrase) const;

    [[nodiscard]] KeyAlgorithm key_algorithm() const noexcept { return m_alg; }
    [[nodiscard]] EVP_PKEY* pkey() const noexcept { return m_key.get(); }

    [[nodiscard]] SignatureAlgorithm algorithm() const override { return signature_algorithm_for(m_alg); }
    [[nodiscard]] core::Bytes public_key() const override;
    [[nodiscard]] core::Result<core::Bytes> sign(core::ByteView message) const override;

private:
    SoftKey(PkeyPtr key, KeyAlgorithm alg) : m_key(std::move(key)), m_alg(alg) {}
    PkeyPtr m_key;
    KeyAlgorithm m_alg;
};

}  // namespace eseal::crypto
