#pragma once
// ra::Account and ra::Consent <-> the `accounts` and `consents` tables (migrations/0004_ra.sql).
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "ra/ports.hpp"
#include "store/database.hpp"

namespace eseal::store {

// already_exists ("account.duplicate") if the phone has an account.
[[nodiscard]] core::Result<ra::Account> insert_account(Database& db, std::string_view phone,
                                                       core::TimePoint created_at);
[[nodiscard]] core::Result<std::optional<ra::Account>> select_account(Database& db,
                                                                      std::int64_t id);
[[nodiscard]] core::Result<std::optional<ra::Account>> select_account_by_phone(
    Database& db, std::string_view phone);

// not_found ("account.unknown") if the consent's account is not stored.
[[nodiscard]] core::Result<void> insert_consent(Database& db, const ra::Consent& c);
// Oldest first.
[[nodiscard]] core::Result<std::vector<ra::Consent>> select_consents(Database& db,
                                                                     std::int64_t account_id);

}  // namespace eseal::store
