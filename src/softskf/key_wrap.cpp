#include "key_wrap.hpp"

#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <limits>

#include "ossl.hpp"

namespace eseal::softskf {
namespace {

constexpr std::uint64_t kScryptN = 1U << 14;
constexpr std::uint32_t kScryptR = 8;
constexpr std::uint32_t kScryptP = 1;
constexpr std::uint64_t kScryptMaxMemory = 64ULL << 20;

bool fits_int(std::size_t n) {
    return n <= static_cast<std::size_t>(std::numeric_limits<int>::max());
}

std::optional<SecureBytes> hmac_sha256(ByteView key, std::string_view label) {
    SecureBytes out(32);
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(label.data()), label.size(), out.data(),
             &length) == nullptr ||
        length != out.size())
        return std::nullopt;
    return out;
}

}  // namespace

std::optional<SecureBytes> random_secret(std::size_t length) {
    SecureBytes out(length);
    if (!fits_int(length) || RAND_bytes(out.data(), static_cast<int>(length)) != 1)
        return std::nullopt;
    return out;
}

std::optional<Sealed> seal(ByteView key, ByteView plaintext, ByteView aad) {
    if (key.size() != kDataKeyBytes || !fits_int(plaintext.size()) || !fits_int(aad.size()))
        return std::nullopt;
    Sealed out;
    out.nonce.resize(kGcmNonceBytes);
    out.tag.resize(kGcmTagBytes);
    out.ciphertext.resize(plaintext.size());
    if (RAND_bytes(out.nonce.data(), static_cast<int>(out.nonce.size())) != 1)
        return std::nullopt;
    const CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    int length = 0;
    int final_length = 0;
    if (!ctx ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), out.nonce.data()) !=
            1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &length, aad.data(), static_cast<int>(aad.size())) !=
            1 ||
        EVP_EncryptUpdate(ctx.get(), out.ciphertext.data(), &length, plaintext.data(),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out.ciphertext.data() + length, &final_length) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagBytes),
                            out.tag.data()) != 1)
        return std::nullopt;
    return out;
}

std::optional<SecureBytes> unseal(ByteView key, const Sealed& sealed, ByteView aad) {
    if (key.size() != kDataKeyBytes || sealed.nonce.size() != kGcmNonceBytes ||
        sealed.tag.size() != kGcmTagBytes || !fits_int(sealed.ciphertext.size()) ||
        !fits_int(aad.size()))
        return std::nullopt;
    SecureBytes out(sealed.ciphertext.size());
    Bytes tag = sealed.tag;
    const CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    int length = 0;
    int final_length = 0;
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(),
                           sealed.nonce.data()) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &length, aad.data(), static_cast<int>(aad.size())) !=
            1 ||
        EVP_DecryptUpdate(ctx.get(), out.data(), &length, sealed.ciphertext.data(),
                          static_cast<int>(sealed.ciphertext.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag.size()),
                            tag.data()) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), out.data() + length, &final_length) != 1)
        return std::nullopt;
    return out;
}

std::optional<PinKdf> new_pin_kdf() {
    PinKdf kdf{Bytes(kPinSaltBytes), kScryptN, kScryptR, kScryptP};
    if (RAND_bytes(kdf.salt.data(), static_cast<int>(kdf.salt.size())) != 1)
        return std::nullopt;
    return kdf;
}

std::optional<PinKeys> derive_pin_keys(std::string_view pin, const PinKdf& kdf) {
    SecureBytes master(32);
    if (EVP_PBE_scrypt(pin.data(), pin.size(), kdf.salt.data(), kdf.salt.size(), kdf.n, kdf.r,
                       kdf.p, kScryptMaxMemory, master.data(), master.size()) != 1)
        return std::nullopt;
    auto verifier = hmac_sha256(master, "eseal-softskf/v1/pin-verifier");
    auto kek = hmac_sha256(master, "eseal-softskf/v1/pin-kek");
    if (!verifier || !kek)
        return std::nullopt;
    return PinKeys{std::move(*verifier), std::move(*kek)};
}

}  // namespace eseal::softskf
