// Seal management (ra/seal_ports.hpp) on SQLite (migrations/0007_seals.sql). Every write appends
// its audit event in the same transaction.
#include "store/audit_log.hpp"
#include "store/seal_rows.hpp"
#include "store/sqlite_store.hpp"

namespace eseal::store {

core::Result<void> SqliteStore::add_seal(const ra::SealRecord& s, const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = insert_seal(db, s); !r)
            return r;
        return append_audit_event(db, event);
    });
}

core::Result<void> SqliteStore::update_seal(const ra::SealRecord& s,
                                            const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = update_seal_row(db, s); !r)
            return r;
        return append_audit_event(db, event);
    });
}

core::Result<std::optional<ra::SealRecord>> SqliteStore::find_seal(const std::string& id) {
    const std::lock_guard lock(m_read_mutex);
    return select_seal(m_reader, id);
}

core::Result<std::vector<ra::SealRecord>> SqliteStore::seals_of(const std::string& credit_code) {
    const std::lock_guard lock(m_read_mutex);
    return select_seals_of(m_reader, credit_code);
}

core::Result<ra::SealAuthorization> SqliteStore::add_authorization(const ra::SealAuthorization& a,
                                                                   const core::AuditEvent& event) {
    ra::SealAuthorization stored;
    auto r = m_writer.submit([&](Database& db) -> core::Result<void> {
        auto added = insert_authorization(db, a);
        if (!added)
            return std::unexpected(std::move(added.error()));
        stored = std::move(*added);
        return append_audit_event(db, event);
    });
    if (!r)
        return std::unexpected(std::move(r.error()));
    return stored;
}

core::Result<void> SqliteStore::revoke_authorization(const std::string& seal_id, std::int64_t id,
                                                     core::TimePoint at,
                                                     const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = revoke_authorization_row(db, seal_id, id, at); !r)
            return r;
        return append_audit_event(db, event);
    });
}

core::Result<std::vector<ra::SealAuthorization>> SqliteStore::authorizations(
    const std::string& seal_id) {
    const std::lock_guard lock(m_read_mutex);
    return select_authorizations(m_reader, seal_id);
}

core::Result<ra::SealUse> SqliteStore::add_use(const ra::SealUse& u,
                                               const core::AuditEvent& event) {
    ra::SealUse stored;
    auto r = m_writer.submit([&](Database& db) -> core::Result<void> {
        auto added = insert_use(db, u);
        if (!added)
            return std::unexpected(std::move(added.error()));
        stored = std::move(*added);
        return append_audit_event(db, event);
    });
    if (!r)
        return std::unexpected(std::move(r.error()));
    return stored;
}

core::Result<std::vector<ra::SealUse>> SqliteStore::uses(const std::string& seal_id,
                                                         std::size_t limit) {
    const std::lock_guard lock(m_read_mutex);
    return select_uses(m_reader, seal_id, limit);
}

core::Result<void> SqliteStore::add_challenge(const ra::BindingChallenge& c,
                                              const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = insert_challenge(db, c); !r)
            return r;
        return append_audit_event(db, event);
    });
}

core::Result<std::optional<ra::BindingChallenge>> SqliteStore::find_challenge(
    const std::string& id) {
    const std::lock_guard lock(m_read_mutex);
    return select_challenge(m_reader, id);
}

core::Result<bool> SqliteStore::use_challenge(const std::string& id, core::TimePoint at,
                                              const core::AuditEvent& event) {
    bool first = false;
    auto r = m_writer.submit([&](Database& db) -> core::Result<void> {
        auto used = use_challenge_row(db, id, at);
        if (!used)
            return std::unexpected(std::move(used.error()));
        first = *used;
        return append_audit_event(db, event);
    });
    if (!r)
        return std::unexpected(std::move(r.error()));
    return first;
}

}  // namespace eseal::store
