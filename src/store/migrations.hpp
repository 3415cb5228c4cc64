#pragma once
// Numbered SQL migrations (DESIGN §6): src/store/migrations/NNNN_name.sql, embedded into the
// library at build time (embed_migrations.cmake). Each applies once, in its own transaction,
// and is recorded in schema_migrations(version, applied_at).
#include <span>
#include <string_view>

#include "core/error.hpp"
#include "store/database.hpp"

namespace eseal::store {

struct Migration {
    int version;            // 1, 2, 3, ... with no gaps (checked at build time)
    std::string_view name;  // "0001_init"
    std::string_view sql;
};

// In version order. Defined in the generated embedded_migrations.cpp.
[[nodiscard]] std::span<const Migration> embedded_migrations() noexcept;

// Applies every embedded migration the database has not seen. Safe when several processes open
// the same file at once: each migration checks and applies under the write lock. A database
// migrated by a newer build is refused (Errc::unsupported) rather than misread.
[[nodiscard]] core::Result<void> migrate(Database& db);

}  // namespace eseal::store
