#include "crypto/sealed.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstring>

#include "crypto/digest.hpp"
#include "crypto/ossl.hpp"

namespace eseal::crypto {
namespace {

constexpr std::string_view kMagic = "ES1";
constexpr std::size_t kSalt = 16, kNonce = 12, kTag = 16;
constexpr int kIterations = 200'000;

struct Key {
    std::array<unsigned char, 32> bytes{};
    ~Key() { core::secure_wipe(bytes.data(), bytes.size()); }
};

bool derive(const core::SecureString& pass, const unsigned char* salt, Key& key) {
    return PKCS5_PBKDF2_HMAC(pass.c_str(), static_cast<int>(pass.size()), salt, kSalt, kIterations, EVP_sha256(),
                             static_cast<int>(key.bytes.size()), key.bytes.data()) == 1;
}

using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Free<EVP_CIPHER_CTX_free>>;

}  // namespace

core::Result<core::Bytes> seal(const core::SecureString& passphrase, core::ByteView plaintext) {
    if (passphrase.empty()) return core::fail(core::Errc::invalid_input, "sealed.passphrase", "an empty passphrase seals nothing");
    core::Bytes out(kMagic.begin(), kMagic.end());
    const auto salt = random_bytes(kSalt);
    const auto nonce = random_bytes(kNonce);
    out.insert(out.end(), salt.begin(), salt.end());
    out.insert(out.end(), nonce.begin(), nonce.end());
    Key key;
    if (!derive(passphrase, salt.data(), key)) return openssl_fail(core::Errc::crypto, "sealed.derive", "key derivation failed");
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    core::Bytes ct(plaintext.size() + kTag);
    int len = 0;
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes.data(), nonce.data()) != 1 ||
        EVP_EncryptUpdate(ctx.get(), ct.data(), &len, plaintext.data(), static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), ct.data() + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, ct.data() + plaintext.size()) != 1)
        return openssl_fail(core::Errc::crypto, "sealed.encrypt", "encryption failed");
    out.insert(out.end(), ct.begin(), ct.end());
    return out;
}

core::Result<core::SecureString> unseal(const core::SecureString& passphrase, core::ByteView sealed) {
    const auto unreadable = [] {
        return core::fail(core::Errc::crypto, "sealed.unreadable", "cannot open the sealed secret (wrong passphrase or damaged)");
    };
    if (sealed.size() < kMagic.size() + kSalt + kNonce + kTag ||
        std::memcmp(sealed.data(), kMagic.data(), kMagic.size()) != 0)
        return unreadable();
    const unsigned char* salt = sealed.data() + kMagic.size();
    const unsigned char* nonce = salt + kSalt;
    const unsigned char* ct = nonce + kNonce;
    const std::size_t ct_len = sealed.size() - (kMagic.size() + kSalt + kNonce + kTag);
    Key key;
    if (!derive(passphrase, salt, key)) return unreadable();
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    std::string plain(ct_len, '\0');
    int len = 0;
    int final_len = 0;
    const bool ok =
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes.data(), nonce) == 1 &&
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len, ct, static_cast<int>(ct_len)) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, const_cast<unsigned char*>(ct + ct_len)) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &final_len) == 1;
    core::SecureString result(plain);
    core::secure_wipe(plain.data(), plain.size());
    if (!ok) return unreadable();
    return result;
}

}  // namespace eseal::crypto
