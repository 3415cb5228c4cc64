// SqliteStore's ra repositories: accounts and logins, applications with their materials,
// identity checks and payments, and the outbox (migrations/0004_ra.sql).
#include <utility>

#include "store/account_rows.hpp"
#include "store/application_rows.hpp"
#include "store/change_rows.hpp"
#include "store/identity_rows.hpp"
#include "store/material_rows.hpp"
#include "store/outbox_rows.hpp"
#include "store/payment_rows.hpp"
#include "store/session_rows.hpp"
#include "store/sqlite_store.hpp"
#include "store/timeline_rows.hpp"

namespace eseal::store {

// ---- accounts, login codes, sessions, consent ----------------------------------------------

core::Result<ra::Account> SqliteStore::account_for_phone(const std::string& phone,
                                                         core::TimePoint now,
                                                         const core::AuditEvent& event) {
    {
        // Every login after the first one only reads, without queueing behind the writer.
        const std::lock_guard lock(m_read_mutex);
        auto found = select_account_by_phone(m_reader, phone);
        if (!found)
            return std::unexpected(std::move(found.error()));
        if (*found)
            return std::move(**found);
    }
    ra::Account account;
    auto r = m_writer.submit([&](Database& db) -> core::Result<void> {
        // Looked at again under the write lock: another login may have created it meanwhile.
        auto found = select_account_by_phone(db, phone);
        if (!found)
            return std::unexpected(std::move(found.error()));
        if (*found) {
            account = std::move(**found);
            return {};
        }
        auto created = insert_account(db, phone, now);
        if (!created)
            return std::unexpected(std::move(created.error()));
        account = std::move(*created);
        return append_audit_event(db, event);
    });
    if (!r)
        return std::unexpected(std::move(r.error()));
    return account;
}

core::Result<std::optional<ra::Account>> SqliteStore::find_account(std::int64_t id) {
    const std::lock_guard lock(m_read_mutex);
    return select_account(m_reader, id);
}

core::Result<void> SqliteStore::add_login_code(const ra::LoginCode& code) {
    return m_writer.submit([&](Database& db) { return insert_login_code(db, code); });
}

core::Result<std::optional<ra::LoginCode>> SqliteStore::latest_login_code(
    const std::string& phone) {
    const std::lock_guard lock(m_read_mutex);
    return select_latest_login_code(m_reader, phone);
}

core::Result<void> SqliteStore::update_login_code(std::int64_t id, int attempts, bool used) {
    return m_writer.submit(
        [&](Database& db) { return update_login_code_row(db, id, attempts, used); });
}

core::Result<int> SqliteStore::login_codes_since(const std::string& phone,
                                                 const std::string& client, core::TimePoint since,
                                                 int& by_client) {
    const std::lock_guard lock(m_read_mutex);
    auto counts = count_login_codes(m_reader, phone, client, since);
    if (!counts)
        return std::unexpected(std::move(counts.error()));
    by_client = counts->by_client;
    return counts->by_phone;
}

core::Result<void> SqliteStore::add_session(const ra::Session& s) {
    return m_writer.submit([&](Database& db) { return insert_session(db, s); });
}

core::Result<std::optional<ra::Session>> SqliteStore::find_session(const std::string& token_hash) {
    const std::lock_guard lock(m_read_mutex);
    return select_session(m_reader, token_hash);
}

core::Result<void> SqliteStore::delete_session(const std::string& token_hash) {
    return m_writer.submit([&](Database& db) { return delete_session_row(db, token_hash); });
}

core::Result<void> SqliteStore::add_consents(const std::vector<ra::Consent>& consents,
                                             const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        for (const auto& c : consents) {
            if (auto r = insert_consent(db, c); !r)
                return r;
        }
        return append_audit_event(db, event);
    });
}

core::Result<std::vector<ra::Consent>> SqliteStore::consents_of(std::int64_t account_id) {
    const std::lock_guard lock(m_read_mutex);
    return select_consents(m_reader, account_id);
}

// ---- applications, timeline, materials, outbox -----------------------------------------------

core::Result<void> SqliteStore::add_application(const ra::Application& a,
                                                const ra::ApplicationChange& change) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = insert_application(db, a); !r)
            return r;
        return write_change(db, change);
    });
}

core::Result<void> SqliteStore::update_application(const ra::Application& a,
                                                   const ra::ApplicationChange& change) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = update_application_row(db, a); !r)
            return r;
        return write_change(db, change);
    });
}

core::Result<std::optional<ra::Application>> SqliteStore::find_application(const std::string& id) {
    const std::lock_guard lock(m_read_mutex);
    return select_application(m_reader, id);
}

core::Result<std::vector<ra::Application>> SqliteStore::find_applications(
    const ra::ApplicationQuery& q) {
    const std::lock_guard lock(m_read_mutex);
    return select_applications(m_reader, q);
}

core::Result<std::vector<ra::TimelineEntry>> SqliteStore::timeline(
    const std::string& application_id) {
    const std::lock_guard lock(m_read_mutex);
    return select_timeline(m_reader, application_id);
}

core::Result<void> SqliteStore::put_material(const ra::Material& m,
                                             const ra::ApplicationChange& change) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = upsert_material(db, m); !r)
            return r;
        return write_change(db, change);
    });
}

core::Result<void> SqliteStore::delete_material(const std::string& application_id,
                                                ra::MaterialKind kind,
                                                const ra::ApplicationChange& change) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = delete_material_row(db, application_id, kind); !r)
            return r;
        return write_change(db, change);
    });
}

core::Result<std::vector<ra::Material>> SqliteStore::materials(const std::string& application_id) {
    const std::lock_guard lock(m_read_mutex);
    return select_materials(m_reader, application_id);
}

core::Result<std::vector<ra::OutboxMessage>> SqliteStore::unsent_messages(std::size_t limit) {
    const std::lock_guard lock(m_read_mutex);
    return select_unsent_messages(m_reader, limit);
}

core::Result<void> SqliteStore::mark_message(const ra::OutboxMessage& m) {
    return m_writer.submit([&](Database& db) { return update_outbox_message(db, m); });
}

// ---- identity checks -------------------------------------------------------------------------

core::Result<void> SqliteStore::add_check(const ra::IdentityCheck& c,
                                          const ra::ApplicationChange& change) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = insert_check(db, c); !r)
            return r;
        return write_change(db, change);
    });
}

core::Result<bool> SqliteStore::finish_check(const ra::IdentityCheck& c,
                                             const ra::ApplicationChange& change) {
    bool finished = false;
    auto r = m_writer.submit([&](Database& db) -> core::Result<void> {
        auto first = finish_check_row(db, c);
        if (!first)
            return std::unexpected(std::move(first.error()));
        finished = *first;
        if (!finished)
            return {};  // a repeated callback: the change was recorded the first time
        return write_change(db, change);
    });
    if (!r)
        return std::unexpected(std::move(r.error()));
    return finished;
}

core::Result<std::optional<ra::IdentityCheck>> SqliteStore::find_check(const std::string& id) {
    const std::lock_guard lock(m_read_mutex);
    return select_check(m_reader, id);
}

core::Result<std::optional<ra::IdentityCheck>> SqliteStore::find_check_by_ref(
    const std::string& provider, const std::string& provider_ref) {
    const std::lock_guard lock(m_read_mutex);
    return select_check_by_ref(m_reader, provider, provider_ref);
}

core::Result<std::vector<ra::IdentityCheck>> SqliteStore::checks_of(
    const std::string& application_id) {
    const std::lock_guard lock(m_read_mutex);
    return select_checks(m_reader, application_id);
}

// ---- payments --------------------------------------------------------------------------------

core::Result<void> SqliteStore::add_payment(const ra::Payment& p,
                                            const ra::ApplicationChange& change) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = insert_payment(db, p); !r)
            return r;
        return write_change(db, change);
    });
}

core::Result<void> SqliteStore::update_payment(const ra::Payment& p,
                                               const std::optional<ra::Application>& a,
                                               const ra::ApplicationChange& change) {
    if (a && a->id != p.application_id) {
        return core::fail(
            core::Errc::internal, "payment.other_application",
            "payment " + p.order_no + " is for application " + p.application_id + ", not " + a->id);
    }
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        // The application first: if it moved on, nothing of the payment is written either.
        if (a) {
            if (auto r = update_application_row(db, *a); !r)
                return r;
        }
        if (auto r = update_payment_row(db, p); !r)
            return r;
        return write_change(db, change);
    });
}

core::Result<std::optional<ra::Payment>> SqliteStore::find_payment(const std::string& order_no) {
    const std::lock_guard lock(m_read_mutex);
    return select_payment(m_reader, order_no);
}

core::Result<std::vector<ra::Payment>> SqliteStore::payments_of(const std::string& application_id) {
    const std::lock_guard lock(m_read_mutex);
    return select_payments(m_reader, application_id);
}

}  // namespace eseal::store
