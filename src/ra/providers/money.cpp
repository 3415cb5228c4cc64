#include "ra/providers/money.hpp"

#include <cassert>

namespace eseal::ra::providers {
namespace {

constexpr std::int64_t kMaxFen = 100'000'000LL * 100;  // Alipay: at most 100000000.00 yuan

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace

core::Result<std::int64_t> parse_yuan(std::string_view text) {
    const auto malformed = [&] {
        return core::fail(core::Errc::invalid_input, "amount.malformed",
                          "not an amount in yuan with at most two decimals: \"" +
                              std::string(text.substr(0, 32)) + "\"");
    };
    const auto point = text.find('.');
    const std::string_view whole = text.substr(0, point);
    const std::string_view fraction =
        point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
    if (whole.empty() || whole.size() > 9 || (whole.size() > 1 && whole.front() == '0'))
        return malformed();
    if (point != std::string_view::npos && (fraction.empty() || fraction.size() > 2))
        return malformed();
    std::int64_t yuan = 0;
    for (const char c : whole) {
        if (!is_digit(c))
            return malformed();
        yuan = yuan * 10 + (c - '0');
    }
    std::int64_t fen = 0;
    for (std::size_t i = 0; i < 2; ++i) {
        const char c = i < fraction.size() ? fraction[i] : '0';
        if (!is_digit(c))
            return malformed();
        fen = fen * 10 + (c - '0');
    }
    const std::int64_t total = yuan * 100 + fen;
    if (total > kMaxFen)
        return malformed();
    return total;
}

std::string format_yuan(std::int64_t fen) {
    assert(fen >= 0);
    std::string cents = std::to_string(fen % 100);
    if (cents.size() < 2)
        cents.insert(0, "0");
    return std::to_string(fen / 100) + "." + cents;
}

}  // namespace eseal::ra::providers
