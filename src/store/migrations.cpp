#include "store/migrations.hpp"

#include <string>

namespace eseal::store {
namespace {

core::Result<std::int64_t> highest_applied(Database& db) {
    auto stmt = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    return stmt->int64(0);
}

// Its own function so the statement is finalized before the migration's DDL runs (a pending
// statement can make DROP TABLE fail with SQLITE_LOCKED).
core::Result<bool> is_applied(Database& db, int version) {
    auto stmt = db.prepare("SELECT 1 FROM schema_migrations WHERE version = :version");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    return stmt->bind(":version", std::int64_t{version}).step();
}

core::Result<void> apply(Database& db, const Migration& m) {
    auto tx = Transaction::begin(db, TransactionKind::immediate);
    if (!tx)
        return std::unexpected(std::move(tx.error()));
    auto seen = is_applied(db, m.version);
    if (!seen)
        return std::unexpected(std::move(seen.error()));
    if (*seen)
        return {};  // another process applied it first

    if (auto r = db.exec(m.sql); !r) {
        r.error().code = "storage.migration";
        r.error().message = "migration " + std::string(m.name) + ": " + r.error().message;
        return r;
    }
    auto record = db.prepare(
        "INSERT INTO schema_migrations(version, applied_at) "
        "VALUES (:version, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    if (!record)
        return std::unexpected(std::move(record.error()));
    if (auto r = record->bind(":version", std::int64_t{m.version}).run(); !r)
        return r;
    return tx->commit();
}

}  // namespace

core::Result<void> migrate(Database& db) {
    if (auto r = db.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                         "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT");
        !r) {
        return r;
    }
    const auto known = embedded_migrations();
    auto highest = highest_applied(db);
    if (!highest)
        return std::unexpected(std::move(highest.error()));
    if (*highest > known.back().version) {
        return core::fail(core::Errc::unsupported, "storage.schema_too_new",
                          "the database is at schema version " + std::to_string(*highest) +
                              "; this build knows up to " + std::to_string(known.back().version));
    }
    for (const Migration& m : known) {
        if (m.version <= *highest)
            continue;
        if (auto r = apply(db, m); !r)
            return r;
    }
    return {};
}

}  // namespace eseal::store
