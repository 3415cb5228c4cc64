#pragma once
// Random identifiers and nonces in the alphabets outside services use (from crypto::random_bytes).
#include <cstddef>
#include <string>

namespace eseal::ra::providers {

// [0-9A-Za-z], n characters, without modulo bias.
[[nodiscard]] std::string random_alnum(std::size_t n);
// Digits only, n characters (transaction numbers).
[[nodiscard]] std::string random_digits(std::size_t n);
// Upper-case hex of n random bytes (certificate serials).
[[nodiscard]] std::string random_hex_upper(std::size_t bytes);

}  // namespace eseal::ra::providers
