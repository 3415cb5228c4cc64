#pragma once
// Whoever holds a private key: a software key, a PKCS#11 token, an SKF Ukey. CA, seal and
// document code sign through this and never learn where the key lives (STYLE, after Botan's
// X509_CA taking any Private_Key).
#include "core/bytes.hpp"
#include "core/error.hpp"
#include "crypto/algorithm.hpp"

namespace eseal::crypto {

class Signer {
public:
    virtual ~Signer() = default;
    [[nodiscard]] virtual SignatureAlgorithm algorithm() const = 0;
    // DER SubjectPublicKeyInfo.
    [[nodiscard]] virtual core::Bytes public_key() const = 0;
    // Signs the message (not a digest): SM2 hashes Z(ID) || M with SM3 (GB/T 32918.2 §6.1),
    // ECDSA and RSA hash with SHA-256. ECDSA and SM2 give DER ECDSA-Sig-Value (GB/T 35276 §6),
    // RSA gives the PKCS#1 v1.5 signature block.
    [[nodiscard]] virtual core::Result<core::Bytes> sign(core::ByteView message) const = 0;
};

}  // namespace eseal::crypto
