#include "crypto/public_key.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>

namespace eseal::crypto {

KeyDescription describe_key(const EVP_PKEY* key) {
    KeyDescription d;
    if (key == nullptr) return d;
    d.bits = EVP_PKEY_get_bits(key);
    if (EVP_PKEY_is_a(key, "SM2")) {
        d.type = "SM2";
        d.curve = "SM2";
        d.algorithm = KeyAlgorithm::sm2;
    } else if (EVP_PKEY_is_a(key, "EC")) {
        d.type = "EC";
        char name[80] = {};
        size_t len = 0;
        if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) == 1)
            d.curve = name;
        if (d.curve == "prime256v1") d.algorithm = KeyAlgorithm::ecdsa_p256;
        // OpenSSL may decode an SM2-curve key as plain EC when it came from elsewhere.
        if (d.curve == "SM2") d.algorithm = KeyAlgorithm::sm2;
    } else if (EVP_PKEY_is_a(key, "RSA")) {
        d.type = "RSA";
        if (d.bits == 2048) d.algorithm = KeyAlgorithm::rsa2048;
        if (d.bits == 3072) d.algorithm = KeyAlgorithm::rsa3072;
    } else {
        const char* name = EVP_PKEY_get0_type_name(key);
        d.type = name != nullptr ? name : "unknown";
    }
    return d;
}

core::Result<PkeyPtr> parse_public_key(core::ByteView spki_der) {
    const unsigned char* p = spki_der.data();
    PkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())));
    if (!key) return openssl_fail(core::Errc::invalid_input, "key.malformed", "not a SubjectPublicKeyInfo");
    return key;
}

core::Bytes public_key_der(const EVP_PKEY* key) {
    return to_der(key, [](const EVP_PKEY* k, unsigned char** out) { return i2d_PUBKEY(k, out); });
}

ASN1_OCTET_STRING* new_sm2_id() {
    ASN1_OCTET_STRING* id = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(id, reinterpret_cast<const unsigned char*>(kSm2DefaultId.data()),
                          static_cast<int>(kSm2DefaultId.size()));
    return id;
}

core::Result<SignatureContext> signature_context(EVP_PKEY* key, SignatureAlgorithm alg, Direction direction) {
    const auto d = describe_key(key);
    const bool sm2_key = d.algorithm == KeyAlgorithm::sm2;
    if (sm2_key != (alg == SignatureAlgorithm::sm2_sm3) ||
        (alg == SignatureAlgorithm::rsa_sha256 && d.type != "RSA") ||
        (alg == SignatureAlgorithm::ecdsa_sha256 && d.type != "EC"))
        return core::fail(core::Errc::invalid_input, "signature.key_mismatch",
                          std::string("a ") + d.type + " key cannot make or check " + std::string(to_string(alg)));
    SignatureContext sc;
    sc.md.reset(EVP_MD_CTX_new());
    if (!sc.md) return openssl_fail(core::Errc::internal, "signature.init", "out of memory");
    const EVP_MD* md = EVP_sha256();
    if (alg == SignatureAlgorithm::sm2_sm3) {
        md = EVP_sm3();
        // SM2(7): the ID goes on a key context attached before the digest init computes Z.
        sc.key_ctx.reset(EVP_PKEY_CTX_new(key, nullptr));
        if (!sc.key_ctx || EVP_PKEY_CTX_set1_id(sc.key_ctx.get(), kSm2DefaultId.data(), kSm2DefaultId.size()) <= 0)
            return openssl_fail(core::Errc::crypto, "signature.sm2_id", "cannot set the SM2 distinguishing ID");
        EVP_MD_CTX_set_pkey_ctx(sc.md.get(), sc.key_ctx.get());
    }
    const int rc = direction == Direction::sign ? EVP_DigestSignInit(sc.md.get(), nullptr, md, nullptr, key)
                                                : EVP_DigestVerifyInit(sc.md.get(), nullptr, md, nullptr, key);
    if (rc != 1) return openssl_fail(core::Errc::crypto, "signature.init", "cannot initialise the signature");
    return sc;
}

core::Result<void> verify_signature(EVP_PKEY* key, SignatureAlgorithm alg, core::ByteView message,
                                    core::ByteView signature) {
    auto ctx = signature_context(key, alg, Direction::verify);
    if (!ctx) return std::unexpected(ctx.error());
    if (EVP_DigestVerify(ctx->md.get(), signature.data(), signature.size(), message.data(), message.size()) != 1) {
        ERR_clear_error();  // drop the queue: a bad signature is an answer, not a fault
        return core::fail(core::Errc::crypto, "signature.invalid", "the signature does not verify");
    }
    return {};
}

core::Result<void> verify_signature(core::ByteView spki_der, SignatureAlgorithm alg, core::ByteView message,
                                    core::ByteView signature) {
    auto key = parse_public_key(spki_der);
    if (!key) return std::unexpected(key.error());
    return verify_signature(key->get(), alg, message, signature);
}

}  // namespace eseal::crypto
