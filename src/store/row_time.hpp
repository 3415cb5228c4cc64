#pragma once
// Times in rows are core::format_utc text; reading one back that does not parse means the
// database was changed behind the store's back, which is a storage error, not a crash.
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace eseal::store {

[[nodiscard]] inline core::Result<core::TimePoint> parse_row_time(const std::string& text,
                                                                  std::string_view where) {
    core::TimePoint t{};
    if (!core::parse_utc(text, t)) {
        return core::fail(core::Errc::storage, "storage.corrupt",
                          std::string(where) + ": malformed time '" + text + "'");
    }
    return t;
}

}  // namespace eseal::store
