#pragma once
// Reading DER (X.690 §8.1, §10) one TLV at a time: for the few places where eseal needs the exact
// bytes of a part of a structure (the to-be-signed part of a CRL or of signed attributes), which
// OpenSSL's d2i functions parse away. Definite lengths only, as DER requires.
#include <cstdint>
#include <optional>

#include "core/bytes.hpp"

namespace eseal::pki::der {

struct Tlv {
    std::uint8_t tag = 0;  // single-octet tags only (every tag eseal reads is < 31)
    core::ByteView content;
    core::ByteView whole;  // tag, length and content
};

// Reads the TLV at the front of `in` and advances `in` past it; nullopt when the bytes are not a
// well-formed DER TLV (truncated, indefinite or non-minimal length, multi-octet tag).
[[nodiscard]] std::optional<Tlv> read_tlv(core::ByteView& in);

// The TLV that is exactly `in` (nothing may follow it).
[[nodiscard]] std::optional<Tlv> read_only_tlv(core::ByteView in);

}  // namespace eseal::pki::der
