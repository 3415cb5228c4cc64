#include "core/clock.hpp"

#include <cstdio>

namespace eseal::core {

std::string format_utc(TimePoint t) {
    const auto days = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{days};
    const std::chrono::hh_mm_ss hms{t - days};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                  static_cast<long>(hms.seconds().count()));
    return buf;
}

bool parse_utc(std::string_view text, TimePoint& out) {
    int y = 0;
    unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
    const std::string str(text);
    int consumed = 0;
    if (str.size() == 10) {
        if (std::sscanf(str.c_str(), "%4d-%2u-%2u%n", &y, &mo, &d, &consumed) != 3 || consumed != 10) return false;
    } else if (std::sscanf(str.c_str(), "%4d-%2u-%2uT%2u:%2u:%2uZ%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6 ||
               consumed != static_cast<int>(str.size())) {
        return false;
    }
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{mo}, std::chrono::day{d}};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return false;
    out = std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
    return true;
}

TimePoint add_years(TimePoint t, int years) {
    const auto days = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{days};
    auto next = ymd + std::chrono::years{years};
    if (!next.ok()) next = next.year() / next.month() / std::chrono::last;
    return std::chrono::sys_days{next} + (t - days);
}

}  // namespace eseal::core
