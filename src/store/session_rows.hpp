#pragma once
// ra::LoginCode and ra::Session <-> the `login_codes` and `sessions` tables
// (migrations/0004_ra.sql): how an applicant logs in by phone and SMS code and stays logged in.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/ports.hpp"
#include "store/database.hpp"

namespace eseal::store {

// The code's id is ignored: the row gets the next one.
[[nodiscard]] core::Result<void> insert_login_code(Database& db, const ra::LoginCode& c);
// The newest unused code of the phone.
[[nodiscard]] core::Result<std::optional<ra::LoginCode>> select_latest_login_code(
    Database& db, std::string_view phone);
// not_found ("login.code_unknown") if the id is not stored.
[[nodiscard]] core::Result<void> update_login_code_row(Database& db, std::int64_t id, int attempts,
                                                       bool used);

struct LoginCodeCounts {
    int by_phone = 0;
    int by_client = 0;
};

// Codes created at or after `since` for the phone, and from the client address; one statement,
// so both counts come from the same snapshot.
[[nodiscard]] core::Result<LoginCodeCounts> count_login_codes(Database& db, std::string_view phone,
                                                              std::string_view client,
                                                              core::TimePoint since);

// already_exists ("session.duplicate") for a token hash already stored; not_found
// ("account.unknown") if the account is not stored.
[[nodiscard]] core::Result<void> insert_session(Database& db, const ra::Session& s);
[[nodiscard]] core::Result<std::optional<ra::Session>> select_session(Database& db,
                                                                      std::string_view token_hash);
// Deleting a session that is not there is not an error: logging out twice is logging out.
[[nodiscard]] core::Result<void> delete_session_row(Database& db, std::string_view token_hash);

}  // namespace eseal::store
