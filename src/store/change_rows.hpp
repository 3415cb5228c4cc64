#pragma once
// What goes with every change to an application (ra::ApplicationChange): its timeline lines,
// its outbox messages and its audit event. Called inside the writer's job, after the change's
// own rows, so all of it commits or rolls back together.
#include "core/error.hpp"
#include "ra/ports.hpp"
#include "store/database.hpp"

namespace eseal::store {

[[nodiscard]] core::Result<void> write_change(Database& db, const ra::ApplicationChange& change);

}  // namespace eseal::store
