// CA staff accounts and sessions (ra/staff_ports.hpp) on SQLite.
#include "store/audit_log.hpp"
#include "store/sqlite_store.hpp"
#include "store/staff_rows.hpp"

namespace eseal::store {

core::Result<ra::StaffAccount> SqliteStore::add_staff(const ra::StaffAccount& a, const core::AuditEvent& event) {
    ra::StaffAccount stored = a;
    auto r = m_writer.submit([&](Database& db) -> core::Result<void> {
        auto id = insert_staff(db, a);
        if (!id)
            return std::unexpected(std::move(id.error()));
        stored.id = *id;
        return append_audit_event(db, event);
    });
    if (!r)
        return std::unexpected(std::move(r.error()));
    return stored;
}

core::Result<std::optional<ra::StaffAccount>> SqliteStore::find_staff(std::int64_t id) {
    const std::lock_guard lock(m_read_mutex);
    return select_staff(m_reader, id);
}

core::Result<std::optional<ra::StaffAccount>> SqliteStore::find_staff_by_login(const std::string& login) {
    const std::lock_guard lock(m_read_mutex);
    return select_staff_by_login(m_reader, login);
}

core::Result<std::vector<ra::StaffAccount>> SqliteStore::list_staff() {
    const std::lock_guard lock(m_read_mutex);
    return select_all_staff(m_reader);
}

core::Result<void> SqliteStore::update_staff_login_state(std::int64_t id, int failed_attempts,
                                                         std::optional<core::TimePoint> locked_until,
                                                         const std::optional<core::AuditEvent>& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = update_staff_login_row(db, id, failed_attempts, locked_until); !r)
            return r;
        if (event)
            return append_audit_event(db, *event);
        return {};
    });
}

core::Result<void> SqliteStore::add_staff_session(const ra::StaffSession& s, const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = insert_staff_session(db, s); !r)
            return r;
        return append_audit_event(db, event);
    });
}

core::Result<std::optional<ra::StaffSession>> SqliteStore::find_staff_session(const std::string& token_hash) {
    const std::lock_guard lock(m_read_mutex);
    return select_staff_session(m_reader, token_hash);
}

core::Result<void> SqliteStore::delete_staff_session(const std::string& token_hash) {
    return m_writer.submit([&](Database& db) { return delete_staff_session_row(db, token_hash); });
}

}  // namespace eseal::store
