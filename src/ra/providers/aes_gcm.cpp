#include "ra/providers/aes_gcm.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "crypto/ossl.hpp"

namespace eseal::ra::providers {
namespace {

using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, crypto::Free<EVP_CIPHER_CTX_free>>;

bool set_up(EVP_CIPHER_CTX* ctx, bool encrypt, core::ByteView key, core::ByteView nonce) {
    const auto init = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex;
    return init(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
           EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()),
                               nullptr) == 1 &&
           init(ctx, nullptr, nullptr, key.data(), nonce.data()) == 1;
}

}  // namespace

core::Result<core::Bytes> aes_256_gcm_seal(core::ByteView key, core::ByteView nonce,
                                           core::ByteView aad, core::ByteView plaintext) {
    if (key.size() != 32 || nonce.empty())
        return core::fail(core::Errc::invalid_input, "aead.key_size",
                          "AES-256-GCM needs a 32-byte key and a nonce");
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    core::Bytes out(plaintext.size() + kGcmTagSize);
    int len = 0;
    int final_len = 0;
    if (!ctx || !set_up(ctx.get(), true, key, nonce) ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) !=
            1 ||
        EVP_EncryptUpdate(ctx.get(), out.data(), &len, plaintext.data(),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &final_len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagSize,
                            out.data() + plaintext.size()) != 1)
        return crypto::openssl_fail(core::Errc::crypto, "aead.seal_failed",
                                    "AES-256-GCM encryption");
    return out;
}

core::Result<std::string> aes_256_gcm_open(core::ByteView key, core::ByteView nonce,
                                           core::ByteView aad, core::ByteView sealed) {
    const auto failed = [] {
        return core::fail(core::Errc::crypto, "aead.open_failed",
                          "the ciphertext does not decrypt under this key (wrong key or altered)");
    };
    if (key.size() != 32 || nonce.empty() || sealed.size() < kGcmTagSize)
        return failed();
    const std::size_t n = sealed.size() - kGcmTagSize;
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    std::string plain(n, '\0');
    auto* out = reinterpret_cast<unsigned char*>(plain.data());
    int len = 0;
    int final_len = 0;
    const bool ok =
        ctx && set_up(ctx.get(), false, key, nonce) &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) ==
            1 &&
        EVP_DecryptUpdate(ctx.get(), out, &len, sealed.data(), static_cast<int>(n)) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagSize,
                            const_cast<unsigned char*>(sealed.data() + n)) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), out + len, &final_len) == 1;
    if (!ok) {
        ERR_clear_error();  // a failed tag check is an answer, not a fault
        return failed();
    }
    return plain;
}

}  // namespace eseal::ra::providers
