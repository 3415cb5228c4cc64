#pragma once
// ra::StaffAccount and ra::StaffSession <-> the `staff`, `staff_roles` and `staff_sessions`
// tables (migrations/0005_staff.sql).
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "ra/staff_ports.hpp"
#include "store/database.hpp"

namespace eseal::store {

// The account's id is ignored: the row gets the next one, returned. already_exists
// ("staff.login_taken") for a login already stored.
[[nodiscard]] core::Result<std::int64_t> insert_staff(Database& db, const ra::StaffAccount& a);
[[nodiscard]] core::Result<std::optional<ra::StaffAccount>> select_staff(Database& db, std::int64_t id);
[[nodiscard]] core::Result<std::optional<ra::StaffAccount>> select_staff_by_login(Database& db,
                                                                                std::string_view login);
[[nodiscard]] core::Result<std::vector<ra::StaffAccount>> select_all_staff(Database& db);
// not_found ("staff.unknown") if the id is not stored.
[[nodiscard]] core::Result<void> update_staff_login_row(Database& db, std::int64_t id, int failed_attempts,
                                                        std::optional<core::TimePoint> locked_until);

[[nodiscard]] core::Result<void> insert_staff_session(Database& db, const ra::StaffSession& s);
[[nodiscard]] core::Result<std::optional<ra::StaffSession>> select_staff_session(Database& db,
                                                                                std::string_view token_hash);
[[nodiscard]] core::Result<void> delete_staff_session_row(Database& db, std::string_view token_hash);

}  // namespace eseal::store
