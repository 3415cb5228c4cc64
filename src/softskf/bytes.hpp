#pragma once
// Byte strings for the soft token: plain `Bytes`, and `SecureBytes` for anything secret (PINs,
// data keys, private scalars), whose storage is wiped on every deallocation, including the
// reallocations of a growing vector.
#include <openssl/crypto.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace eseal::softskf {

template <class T>
struct ZeroizingAllocator {
    using value_type = T;
    ZeroizingAllocator() noexcept = default;
    template <class U>
    ZeroizingAllocator(const ZeroizingAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return std::allocator<T>{}.allocate(n); }
    void deallocate(T* p, std::size_t n) noexcept {
        OPENSSL_cleanse(p, n * sizeof(T));
        std::allocator<T>{}.deallocate(p, n);
    }
    template <class U>
    bool operator==(const ZeroizingAllocator<U>&) const noexcept {
        return true;
    }
};

using Bytes = std::vector<std::uint8_t>;
using SecureBytes = std::vector<std::uint8_t, ZeroizingAllocator<std::uint8_t>>;
using ByteView = std::span<const std::uint8_t>;

[[nodiscard]] std::string to_hex(ByteView data);
// nullopt unless `text` is an even number of hex digits.
[[nodiscard]] std::optional<Bytes> from_hex(std::string_view text);

[[nodiscard]] inline ByteView as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Constant-time equality (CRYPTO_memcmp) for verifiers and authentication codes.
[[nodiscard]] bool equal_ct(ByteView a, ByteView b) noexcept;

}  // namespace eseal::softskf
