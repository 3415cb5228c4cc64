#pragma once
// HMAC-SHA256 (RFC 2104) for signed callbacks, and the constant-time comparison that checking one
// needs (a plain == leaks how many leading bytes matched).
#include "core/bytes.hpp"

namespace eseal::ra::providers {

[[nodiscard]] core::Bytes hmac_sha256(core::ByteView key, core::ByteView data);
[[nodiscard]] bool equal_constant_time(core::ByteView a, core::ByteView b) noexcept;

}  // namespace eseal::ra::providers
