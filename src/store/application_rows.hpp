#pragma once
// ra::Application <-> the `applications` table (migrations/0004_ra.sql). The form is stored as
// JSON (application_form_json.hpp), with the columns queues search by copied out of it.
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "ra/ports.hpp"
#include "store/database.hpp"

namespace eseal::store {

// An id already stored gives already_exists ("application.duplicate"); an account_id that is not
// stored, not_found ("account.unknown"). account_id 0 means no applicant account (counter).
[[nodiscard]] core::Result<void> insert_application(Database& db, const ra::Application& a);
// Writes everything but id, account_id and created_at, which are fixed when added, if the
// stored version is still a.version, and bumps it to a.version + 1. Otherwise conflict
// ("application.changed"), or not_found ("application.unknown") if there is no such row; either
// way nothing is written.
[[nodiscard]] core::Result<void> update_application_row(Database& db, const ra::Application& a);
[[nodiscard]] core::Result<std::optional<ra::Application>> select_application(Database& db,
                                                                              std::string_view id);
// Every set field of the query narrows the result (account_id 0: counter applications with no
// account); oldest first, so a queue of more than `limit` shows the ones waiting longest.
[[nodiscard]] core::Result<std::vector<ra::Application>> select_applications(
    Database& db, const ra::ApplicationQuery& q);

}  // namespace eseal::store
