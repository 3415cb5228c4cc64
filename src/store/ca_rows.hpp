#pragma once
// pki::CaRecord <-> the `cas` table (migrations/0001_init.sql).
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "pki/ports.hpp"
#include "store/database.hpp"

namespace eseal::store {

// A name already present gives Errc::already_exists, code "ca.duplicate".
[[nodiscard]] core::Result<void> insert_ca(Database& db, const pki::CaRecord& ca);
[[nodiscard]] core::Result<std::optional<pki::CaRecord>> select_ca(Database& db,
                                                                   std::string_view name);
// Oldest first (created_at, then name).
[[nodiscard]] core::Result<std::vector<pki::CaRecord>> select_cas(Database& db);

}  // namespace eseal::store
