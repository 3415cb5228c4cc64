#include "ra/providers/hmac.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace eseal::ra::providers {

core::Bytes hmac_sha256(core::ByteView key, core::ByteView data) {
    core::Bytes out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    // An empty key is legal HMAC; OpenSSL wants a non-null pointer for it.
    static constexpr unsigned char kEmpty = 0;
    if (HMAC(EVP_sha256(), key.empty() ? &kEmpty : key.data(), static_cast<int>(key.size()),
             data.data(), data.size(), out.data(), &len) == nullptr)
        throw std::runtime_error("HMAC-SHA256 failed");  // only on allocation failure
    out.resize(len);
    return out;
}

bool equal_constant_time(core::ByteView a, core::ByteView b) noexcept {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace eseal::ra::providers
