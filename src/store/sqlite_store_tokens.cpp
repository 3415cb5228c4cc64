// SqliteStore's token::TokenRepository side: the Ukey inventory.
#include "store/sqlite_store.hpp"
#include "store/token_rows.hpp"

namespace eseal::store {

core::Result<void> SqliteStore::add_token(const token::TokenRecord& t, const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = insert_token(db, t); !r) return r;
        return append_audit_event(db, event);
    });
}

core::Result<void> SqliteStore::update_token(const token::TokenRecord& t, const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = update_token_row(db, t); !r) return r;
        return append_audit_event(db, event);
    });
}

core::Result<void> SqliteStore::link_certificate(const std::string& token_serial, const token::TokenCertificate& c,
                                                 token::TokenState state, core::TimePoint at,
                                                 const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = insert_token_certificate(db, token_serial, c); !r) return r;
        if (auto r = set_token_state(db, token_serial, state, at); !r) return r;
        return append_audit_event(db, event);
    });
}

core::Result<std::optional<token::TokenRecord>> SqliteStore::find_token(std::string_view serial) {
    const std::lock_guard lock(m_read_mutex);
    return select_token(m_reader, serial);
}

core::Result<std::vector<token::TokenRecord>> SqliteStore::list_tokens(std::optional<token::TokenState> state) {
    const std::lock_guard lock(m_read_mutex);
    return select_tokens(m_reader, state);
}

}  // namespace eseal::store
