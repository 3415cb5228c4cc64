#pragma once
// ra::TimelineEntry <-> the `application_timeline` table (migrations/0004_ra.sql).
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "ra/application.hpp"
#include "store/database.hpp"

namespace eseal::store {

// not_found ("application.unknown") if the entry's application is not stored.
[[nodiscard]] core::Result<void> insert_timeline_entry(Database& db, const ra::TimelineEntry& e);
// In the order written.
[[nodiscard]] core::Result<std::vector<ra::TimelineEntry>> select_timeline(
    Database& db, std::string_view application_id);

}  // namespace eseal::store
