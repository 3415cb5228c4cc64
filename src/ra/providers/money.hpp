#pragma once
// Amounts as payment services write them. WeChat Pay counts in fen (integers); Alipay writes yuan
// as a decimal string, "0.01" to "100000000.00" (open API: total_amount, "单位为元，精确到小数点后
// 两位"). Conversion is exact, on digits: no floating point ever touches money.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace eseal::ra::providers {

// "200" → 20000, "0.1" → 10, "0.10" → 10, "12.34" → 1234. Errc::invalid_input "amount.malformed"
// for anything else: a sign, exponent, spaces, more than two decimals, leading zeros ("01.00"),
// a lone point, or more than 100000000.00 (Alipay's maximum).
[[nodiscard]] core::Result<std::int64_t> parse_yuan(std::string_view text);
// 20000 → "200.00", 10 → "0.10": always two decimals. fen must not be negative.
[[nodiscard]] std::string format_yuan(std::int64_t fen);

}  // namespace eseal::ra::providers
