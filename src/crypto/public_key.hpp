#pragma once
// Public keys: parsing SubjectPublicKeyInfo, classifying it, verifying signatures with the SM2 ID.
#include <string>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "crypto/algorithm.hpp"
#include "crypto/ossl.hpp"

namespace eseal::crypto {

struct KeyDescription {
    std::string type;     // "SM2", "EC", "RSA", ...
    std::string curve;    // "SM2", "prime256v1", ... for EC keys
    int bits = 0;
    // The key algorithm eseal supports that this key is, if any.
    std::optional<KeyAlgorithm> algorithm;
};

[[nodiscard]] KeyDescription describe_key(const EVP_PKEY* key);
[[nodiscard]] core::Result<PkeyPtr> parse_public_key(core::ByteView spki_der);
[[nodiscard]] core::Bytes public_key_der(const EVP_PKEY* key);

// A digest-sign or digest-verify context set up for the algorithm; for SM2, with the ID.
// EVP_MD_CTX_set_pkey_ctx leaves the key context owned by the caller, so it lives here, declared
// first so that it is freed after the digest context that points to it.
struct SignatureContext {
    PkeyCtxPtr key_ctx;
    MdCtxPtr md;
};
enum class Direction { sign, verify };
[[nodiscard]] core::Result<SignatureContext> signature_context(EVP_PKEY* key, SignatureAlgorithm alg,
                                                               Direction direction);

[[nodiscard]] core::Result<void> verify_signature(EVP_PKEY* key, SignatureAlgorithm alg, core::ByteView message,
                                                  core::ByteView signature);
[[nodiscard]] core::Result<void> verify_signature(core::ByteView spki_der, SignatureAlgorithm alg,
                                                  core::ByteView message, core::ByteView signature);

// The ID as an ASN1_OCTET_STRING, for X509_set0_distinguishing_id and friends (which take ownership).
[[nodiscard]] ASN1_OCTET_STRING* new_sm2_id();

}  // namespace eseal::crypto
