#pragma once
// Optional values in ra rows: an absent time is SQL NULL, and so is an absent reference (an
// application with no applicant account, a check with no application), so the column's
// REFERENCES holds for every value it does hold.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/database.hpp"
#include "store/row_time.hpp"

namespace eseal::store {

inline void bind_time(Statement& stmt, const char* name, const std::optional<core::TimePoint>& t) {
    if (t)
        stmt.bind(name, core::format_utc(*t));
    else
        stmt.bind_null(name);
}

// "" is stored as NULL.
inline void bind_text_or_null(Statement& stmt, const char* name, std::string_view text) {
    if (text.empty())
        stmt.bind_null(name);
    else
        stmt.bind(name, text);
}

// 0 is stored as NULL.
inline void bind_id_or_null(Statement& stmt, const char* name, std::int64_t id) {
    if (id == 0)
        stmt.bind_null(name);
    else
        stmt.bind(name, id);
}

[[nodiscard]] inline core::Result<std::optional<core::TimePoint>> read_optional_time(
    const Statement& row, int column, std::string_view where) {
    if (row.is_null(column))
        return std::nullopt;
    auto t = parse_row_time(row.text(column), where);
    if (!t)
        return std::unexpected(std::move(t.error()));
    return std::optional(*t);
}

[[nodiscard]] inline core::Result<core::TimePoint> read_time(const Statement& row, int column,
                                                             std::string_view where) {
    return parse_row_time(row.text(column), where);
}

[[nodiscard]] inline core::Error corrupt(std::string_view where, std::string_view what) {
    return {
        core::Errc::storage, "storage.corrupt", std::string(where) + ": " + std::string(what), {}};
}

}  // namespace eseal::store
