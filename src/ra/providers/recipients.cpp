#include "ra/providers/recipients.hpp"

namespace eseal::ra::providers {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool valid_label(std::string_view label) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
        return false;
    for (const char c : label)
        if (!is_alnum(c) && c != '-')
            return false;
    return true;
}

}  // namespace

bool is_mainland_mobile(std::string_view phone) noexcept {
    if (phone.size() != 11 || phone[0] != '1' || phone[1] < '3' || phone[1] > '9')
        return false;
    for (const char c : phone)
        if (!is_digit(c))
            return false;
    return true;
}

bool is_email_address(std::string_view address) noexcept {
    const auto at = address.rfind('@');
    if (at == std::string_view::npos || address.size() > 254)
        return false;
    const auto local = address.substr(0, at);
    auto domain = address.substr(at + 1);
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
        local.find("..") != std::string_view::npos)
        return false;
    // The dot-atom characters of RFC 5322 §3.2.3 that mail systems accept in practice.
    for (const char c : local)
        if (!is_alnum(c) &&
            std::string_view(".!#$%&'*+/=?^_`{|}~-").find(c) == std::string_view::npos)
            return false;
    if (domain.find('.') == std::string_view::npos)
        return false;
    while (!domain.empty()) {
        const auto dot = domain.find('.');
        if (!valid_label(domain.substr(0, dot)))
            return false;
        domain = dot == std::string_view::npos ? std::string_view{} : domain.substr(dot + 1);
        if (dot != std::string_view::npos && domain.empty())
            return false;  // trailing dot
    }
    return true;
}

std::optional<std::size_t> utf8_length(std::string_view text) noexcept {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t n = 0;
        char32_t cp = 0;
        if (c < 0x80) {
            n = 1;
            cp = c;
        } else if ((c & 0xE0) == 0xC0) {
            n = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 4;
            cp = c & 0x07;
        } else
            return std::nullopt;
        if (i + n > text.size())
            return std::nullopt;
        for (std::size_t k = 1; k < n; ++k) {
            const auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xC0) != 0x80)
                return std::nullopt;
            cp = (cp << 6) | (cc & 0x3F);
        }
        // RFC 3629 §3: no overlong forms, no surrogates, nothing above U+10FFFF.
        static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < kMin[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return std::nullopt;
        i += n;
    }
    return count;
}

std::size_t sms_segments(std::size_t characters) noexcept {
    if (characters <= 70)
        return 1;
    return (characters + 66) / 67;
}

}  // namespace eseal::ra::providers
