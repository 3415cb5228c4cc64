#pragma once
// The DER pieces (X.690 §8, §10) that the seal structures of GB/T 38540-2020 and GM/T 0031-2014
// are made of. Writing sits on pki::der::tlv, reading on pki::der::read_tlv; this adds only the
// typed values (INTEGER, strings, OIDs, times) the seal formats use. Internal to seal.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "pki/der.hpp"
#include "pki/der_reader.hpp"

namespace eseal::seal::asn1 {

inline constexpr std::uint8_t kBoolean = 0x01;
inline constexpr std::uint8_t kInteger = 0x02;
inline constexpr std::uint8_t kBitString = 0x03;
inline constexpr std::uint8_t kOctetString = 0x04;
inline constexpr std::uint8_t kOid = 0x06;
inline constexpr std::uint8_t kUtf8String = 0x0C;
inline constexpr std::uint8_t kPrintableString = 0x13;
inline constexpr std::uint8_t kIa5String = 0x16;
inline constexpr std::uint8_t kUtcTime = 0x17;
inline constexpr std::uint8_t kGeneralizedTime = 0x18;
inline constexpr std::uint8_t kSequence = 0x30;
inline constexpr std::uint8_t kContext0 = 0xA0;  // [0] constructed (EXPLICIT)
inline constexpr std::uint8_t kContext0Primitive = 0x80;

[[nodiscard]] core::Bytes integer(std::int64_t value);
[[nodiscard]] core::Bytes text(std::uint8_t tag, std::string_view value);
[[nodiscard]] core::Bytes octet_string(core::ByteView value);
// A dotted OID such as "1.2.156.10197.1.501"; the caller passes constants it knows are valid.
[[nodiscard]] core::Bytes oid(std::string_view dotted);
[[nodiscard]] core::Bytes generalized_time(core::TimePoint t);  // YYYYMMDDHHMMSSZ
[[nodiscard]] core::Bytes utc_time(core::TimePoint t);          // YYMMDDHHMMSSZ (GM/T 0031-2014)
[[nodiscard]] core::Bytes sequence_of(const std::vector<core::Bytes>& items);

// Reads the elements of one constructed value in order. Every error names the field and carries
// the code given at construction ("seal.malformed", "signature.malformed").
class Reader {
  public:
    Reader(core::ByteView content, std::string error_code)
        : m_rest(content), m_code(std::move(error_code)) {}

    // The next element, which must have this tag.
    [[nodiscard]] core::Result<pki::der::Tlv> take(std::uint8_t tag, std::string_view field);
    // The next element, whatever its tag.
    [[nodiscard]] core::Result<pki::der::Tlv> take_any(std::string_view field);
    [[nodiscard]] std::optional<std::uint8_t> peek_tag() const;
    [[nodiscard]] bool at_end() const noexcept { return m_rest.empty(); }
    // Fails if anything is left.
    [[nodiscard]] core::Result<void> finish(std::string_view what) const;
    [[nodiscard]] std::unexpected<core::Error> error(std::string_view field,
                                                     std::string_view what) const;
    [[nodiscard]] const std::string& code() const noexcept { return m_code; }

  private:
    core::ByteView m_rest;
    std::string m_code;
};

// Counts the elements inside a constructed value; nullopt if they are not well-formed DER.
[[nodiscard]] std::optional<std::size_t> count_elements(core::ByteView content);

// Typed readers of one element (already taken with its tag checked).
[[nodiscard]] core::Result<std::int64_t> read_integer(const Reader& r, const pki::der::Tlv& t,
                                                      std::string_view field);
[[nodiscard]] core::Result<std::string> read_ia5(const Reader& r, const pki::der::Tlv& t,
                                                 std::string_view field);
[[nodiscard]] core::Result<std::string> read_utf8(const Reader& r, const pki::der::Tlv& t,
                                                  std::string_view field);
// GeneralizedTime or UTCTime (other systems use either where the standard names one).
[[nodiscard]] core::Result<core::TimePoint> read_time(const Reader& r, const pki::der::Tlv& t,
                                                      std::string_view field);
// BIT STRING with no unused bits, as signatures and hashes are.
[[nodiscard]] core::Result<core::Bytes> read_bits(const Reader& r, const pki::der::Tlv& t,
                                                  std::string_view field);
[[nodiscard]] core::Result<std::string> read_oid(const Reader& r, const pki::der::Tlv& t,
                                                 std::string_view field);

// Valid UTF-8 (RFC 3629); the number of code points, or nullopt.
[[nodiscard]] std::optional<std::size_t> utf8_length(std::string_view s);

}  // namespace eseal::seal::asn1
