#pragma once
#include <memory>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace eseal::crypto {

enum class DigestAlgorithm { sm3, sha256 };

[[nodiscard]] core::Bytes digest(DigestAlgorithm alg, core::ByteView data);
[[nodiscard]] inline core::Bytes sha256(core::ByteView data) { return digest(DigestAlgorithm::sha256, data); }
[[nodiscard]] inline core::Bytes sm3(core::ByteView data) { return digest(DigestAlgorithm::sm3, data); }

// Streaming digest for data that does not fit in memory (documents, uploads).
class Hasher {
public:
    explicit Hasher(DigestAlgorithm alg);
    ~Hasher();
    Hasher(Hasher&&) noexcept;
    Hasher& operator=(Hasher&&) noexcept;
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;

    void update(core::ByteView data);
    [[nodiscard]] core::Bytes finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

[[nodiscard]] core::Bytes random_bytes(std::size_t n);

}  // namespace eseal::crypto
