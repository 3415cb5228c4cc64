#pragma once
// ra::DeskRecord <-> the `application_desk` table (migrations/0006_ca_side.sql).
#include <optional>
#include <string_view>

#include "core/error.hpp"
#include "ra/desk_ports.hpp"
#include "store/database.hpp"

namespace eseal::store {

// Inserts or replaces the row of d.application_id; not_found ("application.unknown") if there is
// no such application.
[[nodiscard]] core::Result<void> upsert_desk(Database& db, const ra::DeskRecord& d);
[[nodiscard]] core::Result<std::optional<ra::DeskRecord>> select_desk(Database& db, std::string_view application_id);

}  // namespace eseal::store
