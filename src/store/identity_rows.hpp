#pragma once
// ra::IdentityCheck <-> the `identity_checks` table (migrations/0004_ra.sql).
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "ra/ports.hpp"
#include "store/database.hpp"

namespace eseal::store {

// already_exists ("identity.duplicate") if the id, or the provider's reference, is stored;
// not_found ("application.unknown") if the application is not. application_id "" is a check for
// a Ukey binding.
[[nodiscard]] core::Result<void> insert_check(Database& db, const ra::IdentityCheck& c);
// Writes status, detail and finished_at if the check is still pending: true. A finished check is
// left as it is: false. not_found ("identity.unknown") if the id is not stored; invalid_input
// ("identity.not_finished") if `c` is not a result (pending, or no finished_at).
[[nodiscard]] core::Result<bool> finish_check_row(Database& db, const ra::IdentityCheck& c);
[[nodiscard]] core::Result<std::optional<ra::IdentityCheck>> select_check(Database& db,
                                                                          std::string_view id);
[[nodiscard]] core::Result<std::optional<ra::IdentityCheck>> select_check_by_ref(
    Database& db, std::string_view provider, std::string_view provider_ref);
// Oldest first.
[[nodiscard]] core::Result<std::vector<ra::IdentityCheck>> select_checks(
    Database& db, std::string_view application_id);

}  // namespace eseal::store
