#include "seal/asn1.hpp"

#include <openssl/asn1.h>
#include <openssl/objects.h>

#include "crypto/ossl.hpp"
#include "pki/asn1_util.hpp"
#include "pki/x509.hpp"

namespace eseal::seal::asn1 {

using pki::der::Tlv;

core::Bytes integer(std::int64_t value) {
    // X.690 §8.3: two's complement, big-endian, in the fewest octets.
    core::Bytes content;
    for (int shift = 56; shift >= 0; shift -= 8)
        content.push_back(static_cast<std::uint8_t>((value >> shift) & 0xFF));
    std::size_t skip = 0;
    while (skip + 1 < content.size() &&
           ((content[skip] == 0x00 && (content[skip + 1] & 0x80) == 0) ||
            (content[skip] == 0xFF && (content[skip + 1] & 0x80) != 0)))
        ++skip;
    return pki::der::tlv(kInteger, core::ByteView(content).subspan(skip));
}

core::Bytes text(std::uint8_t tag, std::string_view value) {
    return pki::der::tlv(tag, core::as_bytes(value));
}

core::Bytes octet_string(core::ByteView value) {
    return pki::der::tlv(kOctetString, value);
}

core::Bytes oid(std::string_view dotted) {
    crypto::Asn1ObjectPtr obj(OBJ_txt2obj(std::string(dotted).c_str(), 1));
    return obj ? crypto::to_der(obj.get(), i2d_ASN1_OBJECT) : core::Bytes{};
}

core::Bytes generalized_time(core::TimePoint t) {
    return pki::generalized_time_der(t);
}

core::Bytes utc_time(core::TimePoint t) {
    std::unique_ptr<ASN1_UTCTIME, crypto::Free<ASN1_UTCTIME_free>> u(
        ASN1_UTCTIME_set(nullptr, pki::to_time_t(t)));
    return u ? crypto::to_der(u.get(), i2d_ASN1_UTCTIME) : core::Bytes{};
}

core::Bytes sequence_of(const std::vector<core::Bytes>& items) {
    core::Bytes content;
    for (const auto& i : items) content.insert(content.end(), i.begin(), i.end());
    return pki::der::tlv(kSequence, content);
}

std::unexpected<core::Error> Reader::error(std::string_view field, std::string_view what) const {
    return core::fail(core::Errc::invalid_input, m_code,
                      std::string(field) + ": " + std::string(what));
}

core::Result<Tlv> Reader::take_any(std::string_view field) {
    if (m_rest.empty())
        return error(field, "missing (the structure ends early)");
    auto t = pki::der::read_tlv(m_rest);
    if (!t)
        return error(field, "not well-formed DER (truncated or bad length)");
    return *t;
}

core::Result<Tlv> Reader::take(std::uint8_t tag, std::string_view field) {
    auto t = take_any(field);
    if (!t)
        return t;
    if (t->tag != tag) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "expected tag 0x%02X, found 0x%02X", tag, t->tag);
        return error(field, buf);
    }
    return t;
}

std::optional<std::uint8_t> Reader::peek_tag() const {
    if (m_rest.empty())
        return std::nullopt;
    return m_rest[0];
}

core::Result<void> Reader::finish(std::string_view what) const {
    if (!m_rest.empty())
        return error(what,
                     std::to_string(m_rest.size()) + " unexpected bytes after the last field");
    return {};
}

std::optional<std::size_t> count_elements(core::ByteView content) {
    std::size_t n = 0;
    while (!content.empty()) {
        if (!pki::der::read_tlv(content))
            return std::nullopt;
        ++n;
    }
    return n;
}

core::Result<std::int64_t> read_integer(const Reader& r, const Tlv& t, std::string_view field) {
    if (t.content.empty() || t.content.size() > 8)
        return r.error(field, "INTEGER out of range");
    if (t.content.size() > 1 && ((t.content[0] == 0 && !(t.content[1] & 0x80)) ||
                                 (t.content[0] == 0xFF && (t.content[1] & 0x80))))
        return r.error(field, "INTEGER not minimally encoded");
    std::int64_t v = (t.content[0] & 0x80) ? -1 : 0;
    for (auto b : t.content)
        v = static_cast<std::int64_t>((static_cast<std::uint64_t>(v) << 8) | b);
    return v;
}

core::Result<std::string> read_ia5(const Reader& r, const Tlv& t, std::string_view field) {
    for (auto b : t.content)
        if (b > 0x7F)
            return r.error(field, "IA5String with a non-ASCII byte");
    return core::to_string(t.content);
}

core::Result<std::string> read_utf8(const Reader& r, const Tlv& t, std::string_view field) {
    std::string s = core::to_string(t.content);
    if (!utf8_length(s))
        return r.error(field, "UTF8String that is not valid UTF-8");
    return s;
}

core::Result<core::TimePoint> read_time(const Reader& r, const Tlv& t, std::string_view field) {
    if (t.tag != kGeneralizedTime && t.tag != kUtcTime)
        return r.error(field, "not a GeneralizedTime or UTCTime");
    const unsigned char* p = t.whole.data();
    crypto::Asn1TimePtr time(d2i_ASN1_TIME(nullptr, &p, static_cast<long>(t.whole.size())));
    if (!time || ASN1_TIME_check(time.get()) != 1)
        return r.error(field, "not a valid time");
    return pki::to_time_point(time.get());
}

core::Result<core::Bytes> read_bits(const Reader& r, const Tlv& t, std::string_view field) {
    if (t.content.empty() || t.content[0] != 0)
        return r.error(field, "BIT STRING with unused bits");
    return core::Bytes(t.content.begin() + 1, t.content.end());
}

core::Result<std::string> read_oid(const Reader& r, const Tlv& t, std::string_view field) {
    const unsigned char* p = t.whole.data();
    crypto::Asn1ObjectPtr obj(d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(t.whole.size())));
    if (!obj)
        return r.error(field, "not a valid OBJECT IDENTIFIER");
    char buf[128];
    const int n = OBJ_obj2txt(buf, sizeof buf, obj.get(), 1);
    if (n <= 0 || n >= static_cast<int>(sizeof buf))
        return r.error(field, "OBJECT IDENTIFIER too long");
    return std::string(buf, static_cast<std::size_t>(n));
}

std::optional<std::size_t> utf8_length(std::string_view s) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size(); ++count) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            len = 1, cp = c;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07u;
        } else {
            return std::nullopt;
        }
        if (i + len > s.size())
            return std::nullopt;
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                return std::nullopt;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        // RFC 3629 §3: no overlong forms, no surrogates, nothing above U+10FFFF.
        static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return std::nullopt;
        i += len;
    }
    return count;
}

}  // namespace eseal::seal::asn1
