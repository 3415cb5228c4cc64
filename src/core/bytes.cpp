#include "core/bytes.hpp"

#include <array>

namespace eseal::core {
namespace {

constexpr std::string_view kStd = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(ByteView data, std::string_view alphabet, bool pad) {
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const std::uint32_t v = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) | data[i + 2];
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    const std::size_t rest = data.size() - i;
    if (rest > 0) {
        std::uint32_t v = std::uint32_t{data[i]} << 16;
        if (rest == 2) v |= std::uint32_t{data[i + 1]} << 8;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        if (rest == 2) out += alphabet[(v >> 6) & 63];
        if (pad) out.append(rest == 1 ? "==" : "=");
    }
    return out;
}

std::optional<Bytes> decode(std::string_view text, std::string_view alphabet, bool skip_space) {
    std::array<int, 256> map{};
    map.fill(-1);
    for (std::size_t i = 0; i < alphabet.size(); ++i) map[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
    Bytes out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    std::size_t pads = 0;
    for (char c : text) {
        if (skip_space && (c == ' ' || c == '\n' || c == '\r' || c == '\t')) continue;
        if (c == '=') {
            ++pads;
            continue;
        }
        if (pads > 0) return std::nullopt;  // data after padding
        const int v = map[static_cast<unsigned char>(c)];
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xFF));
        }
    }
    if (pads > 2 || bits >= 6) return std::nullopt;
    if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;  // non-canonical trailing bits
    return out;
}

}  // namespace

std::string hex_encode(ByteView data, bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string out;
    out.reserve(data.size() * 2);
    for (auto b : data) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

std::optional<Bytes> hex_decode(std::string_view hex) {
    Bytes out;
    out.reserve(hex.size() / 2);
    int hi = -1;
    for (char c : hex) {
        if (c == ':') {
            if (hi >= 0) return std::nullopt;
            continue;
        }
        int v;
        if (c >= '0' && c <= '9') v = c - '0';
        else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
        else return std::nullopt;
        if (hi < 0) {
            hi = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(hi << 4 | v));
            hi = -1;
        }
    }
    if (hi >= 0) return std::nullopt;
    return out;
}

std::string base64_encode(ByteView data) { return encode(data, kStd, true); }
std::optional<Bytes> base64_decode(std::string_view text) { return decode(text, kStd, true); }
std::string base64url_encode(ByteView data) { return encode(data, kUrl, false); }
std::optional<Bytes> base64url_decode(std::string_view text) { return decode(text, kUrl, false); }

}  // namespace eseal::core
