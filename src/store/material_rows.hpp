#pragma once
// ra::Material <-> the `materials` table (migrations/0004_ra.sql): one per kind per application.
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "ra/ports.hpp"
#include "store/database.hpp"

namespace eseal::store {

// Inserts, or replaces the application's material of that kind. not_found
// ("application.unknown") if the application is not stored.
[[nodiscard]] core::Result<void> upsert_material(Database& db, const ra::Material& m);
// not_found ("material.unknown") if there is none of that kind.
[[nodiscard]] core::Result<void> delete_material_row(Database& db, std::string_view application_id,
                                                     ra::MaterialKind kind);
// Oldest upload first.
[[nodiscard]] core::Result<std::vector<ra::Material>> select_materials(
    Database& db, std::string_view application_id);

}  // namespace eseal::store
