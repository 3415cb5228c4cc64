#include "ra/providers/random_text.hpp"

#include <string_view>

#include "core/bytes.hpp"
#include "crypto/digest.hpp"

namespace eseal::ra::providers {
namespace {

std::string random_from(std::string_view alphabet, std::size_t n) {
    // Rejection sampling: bytes at or above the largest multiple of the alphabet size are drawn
    // again, so every character is equally likely.
    const std::size_t limit = 256 - 256 % alphabet.size();
    std::string out;
    out.reserve(n);
    while (out.size() < n) {
        for (const auto b : crypto::random_bytes(n - out.size() + 8)) {
            if (b >= limit)
                continue;
            out += alphabet[b % alphabet.size()];
            if (out.size() == n)
                break;
        }
    }
    return out;
}

}  // namespace

std::string random_alnum(std::size_t n) {
    return random_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", n);
}

std::string random_digits(std::size_t n) {
    return random_from("0123456789", n);
}

std::string random_hex_upper(std::size_t bytes) {
    return core::hex_encode(crypto::random_bytes(bytes), true);
}

}  // namespace eseal::ra::providers
