#include "api_support.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace eseal::softskf {

ULONG write_output(ByteView data, BYTE* out, ULONG* size) {
    if (size == nullptr)
        return SAR_INVALIDPARAMERR;
    if (data.size() > std::numeric_limits<ULONG>::max())
        return SAR_FAIL;
    const auto needed = static_cast<ULONG>(data.size());
    if (out == nullptr) {
        *size = needed;
        return SAR_OK;
    }
    if (*size < needed) {
        *size = needed;
        return SAR_BUFFER_TOO_SMALL;
    }
    std::copy(data.begin(), data.end(), out);
    *size = needed;
    return SAR_OK;
}

ULONG write_name_list(const std::vector<std::string>& names, LPSTR out, ULONG* size) {
    std::string list;
    for (const auto& name : names) {
        list += name;
        list.push_back('\0');
    }
    if (names.empty())
        list.push_back('\0');
    list.push_back('\0');
    return write_output(as_bytes(list), out, size);
}

namespace {

// Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
bool valid_utf8(std::string_view text) noexcept {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        std::uint32_t min = 0;
        std::uint32_t code = 0;
        if (lead < 0x80) {
            ++i;
            continue;
        }
        if ((lead & 0xE0) == 0xC0) {
            length = 2, min = 0x80, code = lead & 0x1Fu;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3, min = 0x800, code = lead & 0x0Fu;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4, min = 0x10000, code = lead & 0x07u;
        } else {
            return false;
        }
        if (i + length > text.size())
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80)
                return false;
            code = (code << 6) | (next & 0x3Fu);
        }
        if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

}  // namespace

bool printable_text(std::string_view text) noexcept {
    return valid_utf8(text) && std::ranges::none_of(text, [](char c) {
               const auto u = static_cast<unsigned char>(c);
               return u < 0x20 || u == 0x7f;
           });
}

bool printable_name(std::string_view name) noexcept {
    return !name.empty() && printable_text(name);
}

}  // namespace eseal::softskf
