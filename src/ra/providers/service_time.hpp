#pragma once
// Times as Chinese payment services write them: in Beijing time (UTC+8, no daylight saving).
#include <cstdint>
#include <string>

#include "core/clock.hpp"

namespace eseal::ra::providers {

// RFC 3339 with the offset, as WeChat Pay API v3 writes it: "2026-01-05T13:29:35+08:00".
[[nodiscard]] std::string rfc3339_beijing(core::TimePoint t);
// Alipay open API: "2026-01-05 13:29:35" (Beijing time, no zone).
[[nodiscard]] std::string alipay_time(core::TimePoint t);
[[nodiscard]] std::int64_t unix_seconds(core::TimePoint t);

}  // namespace eseal::ra::providers
