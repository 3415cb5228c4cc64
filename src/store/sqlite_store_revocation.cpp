// SqliteStore's pki::RevocationRepository and pki::ServiceSignerRepository (revocation_rows.hpp).
#include "store/certificate_rows.hpp"
#include "store/revocation_rows.hpp"
#include "store/sqlite_store.hpp"

namespace eseal::store {

core::Result<pki::CertificateRecord> SqliteStore::revoke(const pki::RevocationRequest& request,
                                                         const core::AuditEvent& event) {
    pki::CertificateRecord revoked;
    auto r = m_writer.submit([&](Database& db) -> core::Result<void> {
        auto rec = update_revoked(db, request);
        if (!rec)
            return std::unexpected(std::move(rec.error()));
        revoked = std::move(*rec);
        return append_audit_event(db, event);
    });
    if (!r)
        return std::unexpected(std::move(r.error()));
    return revoked;
}

core::Result<pki::RevokedList> SqliteStore::revoked_by(std::string_view ca) {
    const std::lock_guard lock(m_read_mutex);
    auto tx = Transaction::begin(m_reader, TransactionKind::deferred);
    if (!tx)
        return std::unexpected(std::move(tx.error()));
    return select_revoked(m_reader, ca);  // the transaction ends (read-only) when tx goes
}

core::Result<std::int64_t> SqliteStore::last_revocation_seq(std::string_view ca) {
    const std::lock_guard lock(m_read_mutex);
    return select_last_revocation_seq(m_reader, ca);
}

core::Result<std::vector<pki::RevocationChange>> SqliteStore::revocations_after(std::int64_t seq,
                                                                                std::size_t limit) {
    const std::lock_guard lock(m_read_mutex);
    return select_revocations_after(m_reader, seq, limit);
}

core::Result<std::optional<pki::CrlRecord>> SqliteStore::latest_crl(std::string_view ca,
                                                                    bool with_der) {
    const std::lock_guard lock(m_read_mutex);
    return select_latest_crl(m_reader, ca, with_der);
}

core::Result<void> SqliteStore::store_crl(const pki::CrlRecord& crl,
                                          const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = upsert_crl(db, crl); !r)
            return r;
        return append_audit_event(db, event);
    });
}

core::Result<void> SqliteStore::add_service_signer(const pki::CertificateRecord& certificate,
                                                   const pki::ServiceSignerRecord& signer,
                                                   const core::AuditEvent& event) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        if (auto r = insert_certificate(db, certificate); !r)
            return r;
        if (auto r = insert_service_signer(db, signer); !r)
            return r;
        return append_audit_event(db, event);
    });
}

core::Result<std::vector<pki::ServiceSignerRecord>> SqliteStore::service_signers(
    std::string_view ca, pki::ServicePurpose purpose) {
    const std::lock_guard lock(m_read_mutex);
    return select_service_signers(m_reader, ca, purpose);
}

}  // namespace eseal::store
