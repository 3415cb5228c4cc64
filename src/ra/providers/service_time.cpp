#include "ra/providers/service_time.hpp"

#include <chrono>
#include <cstdio>

namespace eseal::ra::providers {
namespace {

std::string beijing(core::TimePoint t, const char* format_with_sep) {
    using namespace std::chrono;
    const auto local = t + hours{8};
    const auto day = floor<days>(local);
    const year_month_day ymd{day};
    const hh_mm_ss hms{local - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, format_with_sep, static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

}  // namespace

std::string rfc3339_beijing(core::TimePoint t) {
    return beijing(t, "%04d-%02u-%02uT%02d:%02d:%02d+08:00");
}

std::string alipay_time(core::TimePoint t) {
    return beijing(t, "%04d-%02u-%02u %02d:%02d:%02d");
}

std::int64_t unix_seconds(core::TimePoint t) {
    return t.time_since_epoch().count();
}

}  // namespace eseal::ra::providers
