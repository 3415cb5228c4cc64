#include "token/pin.hpp"

#include <string>

#include "crypto/digest.hpp"

namespace eseal::token {
namespace {

core::SecureString random_from(std::string_view alphabet, int length) {
    // Accept a random byte only below the largest multiple of the alphabet size.
    const auto limit = static_cast<unsigned>(256 - 256 % alphabet.size());
    std::string out;
    while (static_cast<int>(out.size()) < length) {
        for (auto b : crypto::random_bytes(static_cast<std::size_t>(length) * 2)) {
            if (b < limit && static_cast<int>(out.size()) < length) out += alphabet[b % alphabet.size()];
        }
    }
    core::SecureString pin(out);
    core::secure_wipe(out.data(), out.size());
    return pin;
}

}  // namespace

core::SecureString random_pin(int digits) { return random_from("0123456789", digits); }

core::SecureString random_so_pin() {
    return random_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 16);
}

}  // namespace eseal::token
