#include "pki/der.hpp"

namespace eseal::pki::der {

core::Bytes tlv(std::uint8_t tag, core::ByteView content) {
    core::Bytes out;
    out.reserve(content.size() + 6);
    out.push_back(tag);
    const std::size_t n = content.size();
    if (n < 0x80) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else {  // X.690 §8.1.3.5: long form, minimal number of length octets
        std::uint8_t len_bytes[sizeof(std::size_t)];
        int count = 0;
        for (std::size_t v = n; v != 0; v >>= 8) len_bytes[count++] = static_cast<std::uint8_t>(v & 0xFF);
        out.push_back(static_cast<std::uint8_t>(0x80 | count));
        while (count > 0) out.push_back(len_bytes[--count]);
    }
    out.insert(out.end(), content.begin(), content.end());
    return out;
}

core::Bytes sequence(std::initializer_list<core::ByteView> parts) {
    core::Bytes content;
    for (auto p : parts) content.insert(content.end(), p.begin(), p.end());
    return tlv(kSequence, content);
}

core::Bytes bit_string(core::ByteView bytes) {
    core::Bytes content;
    content.reserve(bytes.size() + 1);
    content.push_back(0);  // unused bits
    content.insert(content.end(), bytes.begin(), bytes.end());
    return tlv(kBitString, content);
}

}  // namespace eseal::pki::der
