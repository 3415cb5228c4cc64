#include "store/sqlite_store.hpp"

#include <system_error>

#include "store/ca_rows.hpp"
#include "store/certificate_rows.hpp"
#include "store/migrations.hpp"

namespace eseal::store {

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& file) {
    if (file.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(file.parent_path(), ec);
        if (ec) {
            return core::fail(core::Errc::io, "storage.directory",
                              "cannot create " + file.parent_path().string() + ": " + ec.message());
        }
    }
    // The writer opens first: it creates the file, switches it to WAL and migrates it.
    auto writer = Database::open(file, Access::read_write);
    if (!writer)
        return std::unexpected(std::move(writer.error()));
    if (auto r = migrate(*writer); !r)
        return std::unexpected(std::move(r.error()));
    auto reader = Database::open(file, Access::query_only);
    if (!reader)
        return std::unexpected(std::move(reader.error()));
    return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*writer), std::move(*reader)));
}

SqliteStore::SqliteStore(Database writer, Database reader)
    : m_reader(std::move(reader)), m_writer(std::move(writer)) {}

core::Result<void> SqliteStore::add_ca(const pki::CaRecord& ca,
                                       const pki::CertificateRecord& certificate,
                                       const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = insert_ca(db, ca); !r)
            return r;
        if (auto r = insert_certificate(db, certificate); !r)
            return r;
        return append_audit_event(db, event);
    });
}

core::Result<std::optional<pki::CaRecord>> SqliteStore::find_ca(std::string_view name) {
    const std::lock_guard lock(m_read_mutex);
    return select_ca(m_reader, name);
}

core::Result<std::vector<pki::CaRecord>> SqliteStore::list_cas() {
    const std::lock_guard lock(m_read_mutex);
    return select_cas(m_reader);
}

core::Result<void> SqliteStore::add_certificate(const pki::CertificateRecord& certificate,
                                                const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = insert_certificate(db, certificate); !r)
            return r;
        return append_audit_event(db, event);
    });
}

core::Result<bool> SqliteStore::serial_exists(std::string_view serial) {
    const std::lock_guard lock(m_read_mutex);
    return certificate_serial_exists(m_reader, serial);
}

core::Result<std::optional<pki::CertificateRecord>> SqliteStore::find_by_key(
    std::string_view key_sha256) {
    const std::lock_guard lock(m_read_mutex);
    return select_certificate(m_reader, CertificateKey::key_sha256, key_sha256);
}

core::Result<std::optional<pki::CertificateRecord>> SqliteStore::find_certificate(
    std::string_view serial) {
    const std::lock_guard lock(m_read_mutex);
    return select_certificate(m_reader, CertificateKey::serial, serial);
}

core::Result<std::vector<pki::CertificateRecord>> SqliteStore::find_certificates(
    const pki::CertificateQuery& q) {
    const std::lock_guard lock(m_read_mutex);
    return select_certificates(m_reader, q);
}

core::Result<void> SqliteStore::append_audit(const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) { return append_audit_event(db, event); });
}

core::Result<AuditReport> SqliteStore::verify_audit() {
    const std::lock_guard lock(m_read_mutex);
    return verify_audit_chain(m_reader);
}

core::Result<std::vector<AuditRow>> SqliteStore::audit_events(std::size_t limit) {
    const std::lock_guard lock(m_read_mutex);
    return read_audit_events(m_reader, limit);
}

}  // namespace eseal::store
