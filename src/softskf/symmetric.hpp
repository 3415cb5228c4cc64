#pragma once
// SM4 session keys (GM/T 0016-2012 §7.6.25-§7.6.33): SKF_SetSymmKey, then SKF_EncryptInit /
// SKF_DecryptInit with a BLOCKCIPHERPARAM, then single-part or multi-part operations. Modes:
// SGD_SM4_ECB, _CBC, _CFB (128-bit feedback), _OFB; PaddingType 0 none, 1 PKCS#5 (ECB, CBC).
// Also the SM4-ECB block encryption that device authentication uses (§7.2.3).
#include <array>
#include <cstdint>
#include <mutex>
#include <optional>

#include "bytes.hpp"
#include "ossl.hpp"
#include "skf.h"

namespace eseal::softskf {

inline constexpr std::size_t kSm4KeyBytes = 16;
inline constexpr std::size_t kSm4BlockBytes = 16;

[[nodiscard]] bool sm4_supported(ULONG algorithm) noexcept;

struct KeySession {
    std::mutex mutex;  // a key is not tied to a device's state
    ULONG algorithm = 0;
    SecureBytes key;
    CipherCtxPtr ctx;  // set by Init, cleared by Final
    bool encrypting = false;
    bool padded = false;
};

// SKF_EncryptInit / SKF_DecryptInit.
[[nodiscard]] ULONG cipher_init(KeySession& key, const BLOCKCIPHERPARAM& param, bool encrypt);

enum class CipherStep { update, final, single };

// One step of an operation, with the size conventions of §7: runs on a copy of the context and
// keeps it only when the output fits, so that a size query (null output) or a short buffer leaves
// the operation where it was and reports the exact size.
[[nodiscard]] ULONG cipher_step(KeySession& key, CipherStep step, ByteView input, BYTE* out,
                                ULONG* out_size);

// SM4-ECB of one block: the device authentication response to a challenge (§7.2.3).
[[nodiscard]] std::optional<std::array<std::uint8_t, 16>> sm4_ecb_block(ByteView key,
                                                                        ByteView block);

}  // namespace eseal::softskf
