#include "pki/der_reader.hpp"

namespace eseal::pki::der {

std::optional<Tlv> read_tlv(core::ByteView& in) {
    if (in.size() < 2)
        return std::nullopt;
    const std::uint8_t tag = in[0];
    if ((tag & 0x1F) == 0x1F)
        return std::nullopt;  // high tag number form
    std::size_t length = in[1];
    std::size_t header = 2;
    if (length & 0x80) {
        const std::size_t count = length & 0x7F;
        // 0x80 is the indefinite form (BER only); more than 4 length octets is more than we take.
        if (count == 0 || count > 4 || in.size() < 2 + count)
            return std::nullopt;
        if (in[2] == 0)
            return std::nullopt;  // X.690 §10.1: minimal length octets
        length = 0;
        for (std::size_t i = 0; i < count; ++i) length = (length << 8) | in[2 + i];
        if (length < 0x80)
            return std::nullopt;
        header += count;
    }
    if (in.size() - header < length)
        return std::nullopt;
    Tlv t{tag, in.subspan(header, length), in.subspan(0, header + length)};
    in = in.subspan(header + length);
    return t;
}

std::optional<Tlv> read_only_tlv(core::ByteView in) {
    auto t = read_tlv(in);
    if (!t || !in.empty())
        return std::nullopt;
    return t;
}

}  // namespace eseal::pki::der
