#pragma once
// The little DER (X.690 §8, §10) that OpenSSL does not do for us: wrapping a to-be-signed
// structure with its signature, when the signature comes from a Signer rather than an EVP_PKEY.
#include <initializer_list>

#include "core/bytes.hpp"

namespace eseal::pki::der {

inline constexpr std::uint8_t kSequence = 0x30;
inline constexpr std::uint8_t kBitString = 0x03;
inline constexpr std::uint8_t kOctetString = 0x04;
inline constexpr std::uint8_t kPrintableString = 0x13;

[[nodiscard]] core::Bytes tlv(std::uint8_t tag, core::ByteView content);
[[nodiscard]] core::Bytes sequence(std::initializer_list<core::ByteView> parts);
// A BIT STRING holding whole bytes (0 unused bits), as signatures are.
[[nodiscard]] core::Bytes bit_string(core::ByteView bytes);

}  // namespace eseal::pki::der
