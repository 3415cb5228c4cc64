#pragma once
// ra::OutboxMessage <-> the `outbox` table (migrations/0004_ra.sql).
#include <cstddef>
#include <vector>

#include "core/error.hpp"
#include "ra/ports.hpp"
#include "store/database.hpp"

namespace eseal::store {

// The message's id is ignored: the row gets the next one.
[[nodiscard]] core::Result<void> insert_outbox_message(Database& db, const ra::OutboxMessage& m);
// Not yet sent, fewest attempts first, then oldest first.
[[nodiscard]] core::Result<std::vector<ra::OutboxMessage>> select_unsent_messages(
    Database& db, std::size_t limit);
// Writes sent_at, provider_ref, attempts and last_error; not_found ("outbox.unknown") if the id
// is not stored.
[[nodiscard]] core::Result<void> update_outbox_message(Database& db, const ra::OutboxMessage& m);

}  // namespace eseal::store
