#include "symmetric.hpp"

#include <algorithm>
#include <limits>

#include "api_support.hpp"

namespace eseal::softskf {
namespace {

const EVP_CIPHER* cipher_for(ULONG algorithm) {
    switch (algorithm) {
        case SGD_SM4_ECB:
            return EVP_sm4_ecb();
        case SGD_SM4_CBC:
            return EVP_sm4_cbc();
        case SGD_SM4_CFB:
            return EVP_sm4_cfb128();
        case SGD_SM4_OFB:
            return EVP_sm4_ofb();
        default:
            return nullptr;
    }
}

}  // namespace

bool sm4_supported(ULONG algorithm) noexcept {
    return cipher_for(algorithm) != nullptr;
}

ULONG cipher_init(KeySession& key, const BLOCKCIPHERPARAM& param, bool encrypt) {
    const EVP_CIPHER* cipher = cipher_for(key.algorithm);
    if (cipher == nullptr)
        return SAR_NOTSUPPORTYETERR;
    const bool needs_iv = key.algorithm != SGD_SM4_ECB;
    const bool block_mode = key.algorithm == SGD_SM4_ECB || key.algorithm == SGD_SM4_CBC;
    if (needs_iv && param.IVLen != kSm4BlockBytes)
        return SAR_INVALIDPARAMERR;
    if (param.PaddingType > 1 || (param.PaddingType == 1 && !block_mode))
        return SAR_INVALIDPARAMERR;
    if (key.algorithm == SGD_SM4_CFB && param.FeedBitLen != 0 && param.FeedBitLen != 128)
        return SAR_NOTSUPPORTYETERR;
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx ||
        EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.key.data(), needs_iv ? param.IV : nullptr,
                          encrypt ? 1 : 0) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), static_cast<int>(param.PaddingType)) != 1)
        return SAR_FAIL;
    key.ctx = std::move(ctx);
    key.encrypting = encrypt;
    key.padded = param.PaddingType == 1;
    return SAR_OK;
}

ULONG cipher_step(KeySession& key, CipherStep step, ByteView input, BYTE* out, ULONG* out_size) {
    if (!key.ctx)
        return SAR_NOTINITIALIZEERR;
    if (out_size == nullptr)
        return SAR_INVALIDPARAMERR;
    if (input.size() > static_cast<std::size_t>(std::numeric_limits<int>::max() - 64))
        return SAR_INDATALENERR;
    CipherCtxPtr work(EVP_CIPHER_CTX_new());
    if (!work || EVP_CIPHER_CTX_copy(work.get(), key.ctx.get()) != 1)
        return SAR_FAIL;
    SecureBytes buffer(input.size() + 2 * kSm4BlockBytes);
    int produced = 0;
    if (step != CipherStep::final && !input.empty()) {
        if (EVP_CipherUpdate(work.get(), buffer.data(), &produced, input.data(),
                             static_cast<int>(input.size())) != 1)
            return SAR_FAIL;
    }
    if (step != CipherStep::update) {
        int tail = 0;
        if (EVP_CipherFinal_ex(work.get(), buffer.data() + produced, &tail) != 1)
            // No padding and a partial block, or bad padding on decryption.
            return key.encrypting || !key.padded ? SAR_INDATALENERR : SAR_DECRYPTPADERR;
        produced += tail;
    }
    const auto size = static_cast<std::size_t>(produced);
    const ULONG rc = write_output(ByteView(buffer.data(), size), out, out_size);
    if (rc != SAR_OK || out == nullptr)
        return rc;
    if (step == CipherStep::update)
        key.ctx = std::move(work);
    else
        key.ctx.reset();  // the operation is over; a new Init starts the next one
    return SAR_OK;
}

std::optional<std::array<std::uint8_t, 16>> sm4_ecb_block(ByteView key, ByteView block) {
    if (key.size() != kSm4KeyBytes || block.size() != kSm4BlockBytes)
        return std::nullopt;
    const CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    std::array<std::uint8_t, 16> out{};
    int length = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_sm4_ecb(), nullptr, key.data(), nullptr) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out.data(), &length, block.data(), 16) != 1 || length != 16)
        return std::nullopt;
    return out;
}

}  // namespace eseal::softskf
