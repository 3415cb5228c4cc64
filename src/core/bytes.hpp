#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace eseal::core {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

[[nodiscard]] inline ByteView as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
[[nodiscard]] inline Bytes to_bytes(std::string_view s) {
    return {s.begin(), s.end()};
}
[[nodiscard]] inline std::string to_string(ByteView b) {
    return {b.begin(), b.end()};
}

[[nodiscard]] std::string hex_encode(ByteView data, bool upper = false);
// Accepts upper or lower case, optional ':' separators; nullopt on anything else.
[[nodiscard]] std::optional<Bytes> hex_decode(std::string_view hex);

// RFC 4648 §4 (standard alphabet, padded) and §5 (URL-safe, unpadded).
[[nodiscard]] std::string base64_encode(ByteView data);
[[nodiscard]] std::optional<Bytes> base64_decode(std::string_view text);  // ignores whitespace
[[nodiscard]] std::string base64url_encode(ByteView data);
[[nodiscard]] std::optional<Bytes> base64url_decode(std::string_view text);

}  // namespace eseal::core
