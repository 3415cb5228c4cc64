#include "crypto/digest.hpp"

#include <openssl/rand.h>

#include <stdexcept>

#include "crypto/ossl.hpp"

namespace eseal::crypto {
namespace {

const EVP_MD* md_of(DigestAlgorithm alg) {
    return alg == DigestAlgorithm::sm3 ? EVP_sm3() : EVP_sha256();
}

}  // namespace

struct Hasher::Impl {
    MdCtxPtr ctx{EVP_MD_CTX_new()};
};

Hasher::Hasher(DigestAlgorithm alg) : m_impl(std::make_unique<Impl>()) {
    if (!m_impl->ctx || EVP_DigestInit_ex(m_impl->ctx.get(), md_of(alg), nullptr) != 1)
        throw std::runtime_error("digest init failed: " + openssl_errors());
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(core::ByteView data) {
    EVP_DigestUpdate(m_impl->ctx.get(), data.data(), data.size());
}

core::Bytes Hasher::finish() {
    core::Bytes out(EVP_MAX_MD_SIZE);
    unsigned int n = 0;
    EVP_DigestFinal_ex(m_impl->ctx.get(), out.data(), &n);
    out.resize(n);
    return out;
}

core::Bytes digest(DigestAlgorithm alg, core::ByteView data) {
    core::Bytes out(EVP_MAX_MD_SIZE);
    unsigned int n = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &n, md_of(alg), nullptr) != 1)
        throw std::runtime_error("digest failed: " + openssl_errors());
    out.resize(n);
    return out;
}

core::Bytes random_bytes(std::size_t n) {
    core::Bytes out(n);
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1)
        throw std::runtime_error("the random generator failed: " + openssl_errors());
    return out;
}

}  // namespace eseal::crypto
