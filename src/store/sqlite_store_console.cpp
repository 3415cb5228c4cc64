// SqliteStore's ra::AuditRepository and ra::CertificateSearch: what the staff console reads
// (issue 9), on the reader connection.
#include "store/certificate_rows.hpp"
#include "store/sqlite_store.hpp"

namespace eseal::store {

core::Result<std::vector<ra::AuditEntry>> SqliteStore::find_audit_events(const ra::AuditQuery& q) {
    const std::lock_guard lock(m_read_mutex);
    auto rows = find_audit_rows(m_reader, {q.limit, q.before, q.actor, q.action_prefix, q.object});
    if (!rows)
        return std::unexpected(std::move(rows.error()));
    std::vector<ra::AuditEntry> out;
    out.reserve(rows->size());
    for (auto& r : *rows)
        out.push_back({r.id, std::move(r.event), std::move(r.hash)});
    return out;
}

core::Result<ra::AuditCheck> SqliteStore::check_audit_chain() {
    auto report = verify_audit();
    if (!report)
        return std::unexpected(std::move(report.error()));
    ra::AuditCheck check;
    check.events = report->events;
    for (auto& b : report->breaks)
        check.breaks.push_back({b.id, std::move(b.problem)});
    return check;
}

core::Result<std::vector<ra::CertificateHit>> SqliteStore::search_certificates(
    const std::string& text, const std::optional<std::string>& serial, std::size_t limit) {
    std::vector<pki::CertificateRecord> records;
    {
        const std::lock_guard lock(m_read_mutex);
        auto found = search_certificate_rows(m_reader, text, serial, limit);
        if (!found)
            return std::unexpected(std::move(found.error()));
        records = std::move(*found);
    }
    std::vector<ra::CertificateHit> out;
    out.reserve(records.size());
    for (auto& r : records) {
        auto application = application_of_certificate(r.serial);
        if (!application)
            return std::unexpected(std::move(application.error()));
        out.push_back({std::move(r), std::move(*application)});
    }
    return out;
}

core::Result<std::string> SqliteStore::application_of_certificate(const std::string& serial) {
    const std::lock_guard lock(m_read_mutex);
    // application_desk_certificate (0006) indexes certificate_serial.
    auto stmt = m_reader.prepare(
        "SELECT application_id FROM application_desk WHERE certificate_serial = :serial AND certificate_serial != '' "
        "ORDER BY application_id LIMIT 1");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":serial", serial);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    return *row ? stmt->text(0) : std::string();
}

}  // namespace eseal::store
