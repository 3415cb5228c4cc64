#pragma once
// ra seal records <-> the tables of migrations/0007_seals.sql: seals, seal_authorizations,
// seal_uses, seal_binding_challenges.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "ra/seal_ports.hpp"
#include "store/database.hpp"

namespace eseal::store {

// already_exists ("seal.duplicate") for a stored id.
[[nodiscard]] core::Result<void> insert_seal(Database& db, const ra::SealRecord& s);
// conflict ("seal.changed") if the stored version is not s.version; not_found ("seal.unknown").
[[nodiscard]] core::Result<void> update_seal_row(Database& db, const ra::SealRecord& s);
[[nodiscard]] core::Result<std::optional<ra::SealRecord>> select_seal(Database& db,
                                                                      std::string_view id);
[[nodiscard]] core::Result<std::vector<ra::SealRecord>> select_seals_of(
    Database& db, std::string_view credit_code);

[[nodiscard]] core::Result<ra::SealAuthorization> insert_authorization(
    Database& db, const ra::SealAuthorization& a);
[[nodiscard]] core::Result<void> revoke_authorization_row(Database& db, std::string_view seal_id,
                                                          std::int64_t id, core::TimePoint at);
[[nodiscard]] core::Result<std::vector<ra::SealAuthorization>> select_authorizations(
    Database& db, std::string_view seal_id);

[[nodiscard]] core::Result<ra::SealUse> insert_use(Database& db, const ra::SealUse& u);
[[nodiscard]] core::Result<std::vector<ra::SealUse>> select_uses(Database& db,
                                                                 std::string_view seal_id,
                                                                 std::size_t limit);

[[nodiscard]] core::Result<void> insert_challenge(Database& db, const ra::BindingChallenge& c);
[[nodiscard]] core::Result<std::optional<ra::BindingChallenge>> select_challenge(
    Database& db, std::string_view id);
// true if it was unused (now marked used), false if used already; not_found
// ("binding.challenge_unknown").
[[nodiscard]] core::Result<bool> use_challenge_row(Database& db, std::string_view id,
                                                   core::TimePoint at);

}  // namespace eseal::store
