#include "store/certificate_rows.hpp"

#include <utility>

#include "store/row_time.hpp"

namespace eseal::store {
namespace {

constexpr std::string_view kSelectCertificate =
    "SELECT serial, ca, profile, subject, organization, credit_code, person_name, person_id, "
    "key_sha256, "
    "not_before, not_after, issued_at, status, revoked_at, revocation_reason, der FROM "
    "certificates";

// Reads a row of kSelectCertificate, column by column in its order.
core::Result<pki::CertificateRecord> read_certificate(const Statement& row) {
    pki::CertificateRecord c;
    c.serial = row.text(0);
    const std::string where = "certificate " + c.serial;
    c.ca = row.text(1);
    c.profile = row.text(2);
    c.subject = row.text(3);
    c.organization = row.text(4);
    c.credit_code = row.text(5);
    c.person_name = row.text(6);
    c.person_id = row.text(7);
    c.key_sha256 = row.text(8);
    using TimeColumn = std::pair<int, core::TimePoint*>;
    for (auto [column, field] : {TimeColumn{9, &c.not_before}, TimeColumn{10, &c.not_after},
                                 TimeColumn{11, &c.issued_at}}) {
        auto t = parse_row_time(row.text(column), where);
        if (!t)
            return std::unexpected(std::move(t.error()));
        *field = *t;
    }
    const std::string status = row.text(12);
    const auto parsed = pki::parse_certificate_status(status);
    if (!parsed) {
        return core::fail(core::Errc::storage, "storage.corrupt",
                          where + ": unknown status '" + status + "'");
    }
    c.status = *parsed;
    if (!row.is_null(13)) {
        auto t = parse_row_time(row.text(13), where);
        if (!t)
            return std::unexpected(std::move(t.error()));
        c.revoked_at = *t;
    }
    c.revocation_reason = row.text(14);
    c.der = row.blob(15);
    return c;
}

core::Result<std::vector<pki::CertificateRecord>> read_all(Statement& stmt) {
    std::vector<pki::CertificateRecord> out;
    for (;;) {
        auto row = stmt.step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return out;
        auto c = read_certificate(stmt);
        if (!c)
            return std::unexpected(std::move(c.error()));
        out.push_back(std::move(*c));
    }
}

// Called after a uniqueness failure, still under the write lock: says which value clashed.
core::Error duplicate_error(Database& db, const pki::CertificateRecord& c) {
    std::vector<core::Problem> problems;
    auto serial = select_certificate(db, CertificateKey::serial, c.serial);
    if (serial && *serial) {
        problems.push_back({"certificate.serial.duplicate",
                            "serial " + c.serial + " is already stored", "serial"});
    }
    auto key = select_certificate(db, CertificateKey::key_sha256, c.key_sha256);
    if (key && *key) {
        problems.push_back({"certificate.key.duplicate",
                            "the key is already certified by certificate " + (*key)->serial,
                            "key_sha256"});
    }
    std::string message = "certificate " + c.serial + " clashes with a stored one";
    for (const auto& p : problems) message += "; " + p.message;
    return {core::Errc::already_exists, "certificate.duplicate", std::move(message),
            std::move(problems)};
}

}  // namespace

std::string like_contains_pattern(std::string_view text) {
    std::string pattern = "%";
    for (const char ch : text) {
        if (ch == '\\' || ch == '%' || ch == '_')
            pattern += '\\';
        pattern += ch;
    }
    pattern += '%';
    return pattern;
}

core::Result<void> insert_certificate(Database& db, const pki::CertificateRecord& c) {
    auto stmt = db.prepare(
        "INSERT INTO certificates(serial, ca, profile, subject, organization, credit_code, "
        "person_name, "
        "person_id, key_sha256, not_before, not_after, issued_at, status, revoked_at, "
        "revocation_reason, der) "
        "VALUES (:serial, :ca, :profile, :subject, :organization, :credit_code, :person_name, "
        ":person_id, "
        ":key_sha256, :not_before, :not_after, :issued_at, :status, :revoked_at, "
        ":revocation_reason, :der)");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":serial", c.serial)
        .bind(":ca", c.ca)
        .bind(":profile", c.profile)
        .bind(":subject", c.subject)
        .bind(":organization", c.organization)
        .bind(":credit_code", c.credit_code)
        .bind(":person_name", c.person_name)
        .bind(":person_id", c.person_id)
        .bind(":key_sha256", c.key_sha256)
        .bind(":not_before", core::format_utc(c.not_before))
        .bind(":not_after", core::format_utc(c.not_after))
        .bind(":issued_at", core::format_utc(c.issued_at))
        .bind(":status", pki::to_string(c.status))
        .bind(":revocation_reason", c.revocation_reason)
        .bind(":der", core::ByteView(c.der));
    if (c.revoked_at) {
        stmt->bind(":revoked_at", core::format_utc(*c.revoked_at));
    } else {
        stmt->bind_null(":revoked_at");
    }
    auto r = stmt->run();
    if (!r && r.error().kind == core::Errc::already_exists)
        return std::unexpected(duplicate_error(db, c));
    if (!r && r.error().code == "storage.foreign_key") {
        return core::fail(
            core::Errc::not_found, "certificate.unknown_ca",
            "certificate " + c.serial + " names CA '" + c.ca + "', which is not stored");
    }
    return r;
}

core::Result<std::optional<pki::CertificateRecord>> select_certificate(Database& db,
                                                                       CertificateKey by,
                                                                       std::string_view value) {
    auto stmt = db.prepare(std::string(kSelectCertificate) + (by == CertificateKey::serial
                                                                  ? " WHERE serial = :value"
                                                                  : " WHERE key_sha256 = :value"));
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    auto row = stmt->bind(":value", value).step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row)
        return std::nullopt;
    auto c = read_certificate(*stmt);
    if (!c)
        return std::unexpected(std::move(c.error()));
    return std::optional(std::move(*c));
}

core::Result<bool> certificate_serial_exists(Database& db, std::string_view serial) {
    auto stmt = db.prepare("SELECT 1 FROM certificates WHERE serial = :serial");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    return stmt->bind(":serial", serial).step();
}

core::Result<std::vector<pki::CertificateRecord>> search_certificate_rows(
    Database& db, std::string_view text, const std::optional<std::string>& serial, std::size_t limit) {
    std::string sql(kSelectCertificate);
    if (!text.empty()) {
        sql += " WHERE credit_code = :text OR subject LIKE :subject ESCAPE '\\'";
        if (serial)
            sql += " OR serial = :serial";
    }
    sql += " ORDER BY issued_at DESC, serial DESC LIMIT :limit";
    auto stmt = db.prepare(sql);
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    if (!text.empty()) {
        stmt->bind(":text", text);
        stmt->bind(":subject", like_contains_pattern(text));
        if (serial)
            stmt->bind(":serial", *serial);
    }
    stmt->bind(":limit", static_cast<std::int64_t>(limit));
    return read_all(*stmt);
}

core::Result<std::vector<pki::CertificateRecord>> select_certificates(
    Database& db, const pki::CertificateQuery& q) {
    std::string sql(kSelectCertificate);
    std::string_view joiner = " WHERE ";
    auto where = [&](std::string_view condition) {
        sql.append(joiner).append(condition);
        joiner = " AND ";
    };
    if (q.ca)
        where("ca = :ca");
    if (q.status)
        where("status = :status");
    if (q.credit_code)
        where("credit_code = :credit_code");
    // SQLite's LIKE folds ASCII case only; the ESCAPE makes % and _ in the text literal.
    if (q.subject_contains)
        where("subject LIKE :subject ESCAPE '\\'");
    if (q.expiring_before)
        where("not_after < :expiring_before");  // fixed-width UTC text sorts as time
    sql += " ORDER BY issued_at, serial LIMIT :limit";

    auto stmt = db.prepare(sql);
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    if (q.ca)
        stmt->bind(":ca", *q.ca);
    if (q.status)
        stmt->bind(":status", pki::to_string(*q.status));
    if (q.credit_code)
        stmt->bind(":credit_code", *q.credit_code);
    if (q.subject_contains)
        stmt->bind(":subject", like_contains_pattern(*q.subject_contains));
    if (q.expiring_before)
        stmt->bind(":expiring_before", core::format_utc(*q.expiring_before));
    stmt->bind(":limit", q.limit == 0 ? std::int64_t{-1}
                                      : static_cast<std::int64_t>(q.limit));  // -1: no limit
    return read_all(*stmt);
}

}  // namespace eseal::store
