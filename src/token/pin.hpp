#pragma once
#include "core/secure_string.hpp"

namespace eseal::token {

// A user PIN of `digits` decimal digits, uniformly random (rejection sampling, no modulo bias).
[[nodiscard]] core::SecureString random_pin(int digits);
// An SO / admin PIN: 16 characters from [0-9A-Za-z], about 95 bits.
[[nodiscard]] core::SecureString random_so_pin();

}  // namespace eseal::token
