#include "store/revocation_rows.hpp"

#include <utility>

#include "store/certificate_rows.hpp"
#include "store/row_time.hpp"

namespace eseal::store {
namespace {

template <class T>
std::unexpected<core::Error> pass(core::Result<T>& r) {
    return std::unexpected(std::move(r.error()));
}

// The fixed-width "YYYY-MM-DDTHH:MM:SSZ" the store writes, read without sscanf (a CRL reads a
// million of them); anything else goes through parse_row_time and its error.
core::Result<core::TimePoint> row_time(const std::string& t, std::string_view where) {
    const auto digits = [&](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (t[i] < '0' || t[i] > '9')
                return -1;
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    if (t.size() == 20 && t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' &&
        t[16] == ':' && t[19] == 'Z') {
        const int y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2),
                  mi = digits(14, 2), s = digits(17, 2);
        const std::chrono::year_month_day ymd{std::chrono::year{y},
                                              std::chrono::month{static_cast<unsigned>(mo)},
                                              std::chrono::day{static_cast<unsigned>(d)}};
        if (y >= 0 && mo >= 0 && d >= 0 && ymd.ok() && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 &&
            s >= 0 && s <= 60)
            return std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
                   std::chrono::seconds{s};
    }
    return parse_row_time(t, where);
}

}  // namespace

core::Result<pki::CertificateRecord> update_revoked(Database& db, const pki::RevocationRequest& r) {
    // Under the writer's BEGIN IMMEDIATE, so the status read here cannot change before the update.
    auto check = db.prepare(
        "SELECT ca, status, revoked_at, revocation_reason FROM certificates WHERE serial = "
        ":serial");
    if (!check)
        return pass(check);
    auto row = check->bind(":serial", r.serial).step();
    if (!row)
        return pass(row);
    if (!*row)
        return core::fail(core::Errc::not_found, "certificate.unknown",
                          "no certificate with serial " + r.serial);
    const std::string ca = check->text(0);
    if (check->text(1) != "valid")
        return core::fail(core::Errc::conflict, "certificate.already_revoked",
                          "certificate " + r.serial + " was already revoked on " + check->text(2) +
                              " (" + check->text(3) + ")");
    auto update = db.prepare(
        "UPDATE certificates SET status = 'revoked', revoked_at = :at, revocation_reason = "
        ":reason, "
        "invalidity_date = :invalidity WHERE serial = :serial AND status = 'valid'");
    if (!update)
        return pass(update);
    update->bind(":at", core::format_utc(r.at))
        .bind(":reason", pki::to_string(r.reason))
        .bind(":serial", r.serial);
    if (r.invalidity_date) {
        update->bind(":invalidity", core::format_utc(*r.invalidity_date));
    } else {
        update->bind_null(":invalidity");
    }
    if (auto done = update->run(); !done)
        return pass(done);
    auto journal = db.prepare(
        "INSERT INTO revocation_journal(serial, ca, revoked_at) VALUES (:serial, :ca, :at)");
    if (!journal)
        return pass(journal);
    if (auto done = journal->bind(":serial", r.serial)
                        .bind(":ca", ca)
                        .bind(":at", core::format_utc(r.at))
                        .run();
        !done)
        return pass(done);
    auto revoked = select_certificate(db, CertificateKey::serial, r.serial);
    if (!revoked)
        return pass(revoked);
    if (!*revoked)
        return core::fail(core::Errc::internal, "storage.vanished",
                          "certificate " + r.serial + " vanished");
    return std::move(**revoked);
}

core::Result<pki::RevokedList> select_revoked(Database& db, std::string_view ca) {
    pki::RevokedList list;
    auto seq = select_last_revocation_seq(db, ca);
    if (!seq)
        return pass(seq);
    list.revocation_seq = *seq;
    // In revocation order: the CRL lists the oldest first, as a reader of it would expect.
    auto stmt = db.prepare(
        "SELECT serial, revoked_at, revocation_reason, invalidity_date FROM certificates "
        "WHERE ca = :ca AND status = 'revoked' ORDER BY ca, revoked_at, serial");
    if (!stmt)
        return pass(stmt);
    stmt->bind(":ca", ca);
    std::string last_reason_name;
    auto last_reason = pki::RevocationReason::unspecified;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return pass(row);
        if (!*row)
            break;
        pki::RevokedCertificate e;
        e.serial = stmt->text(0);
        auto at = row_time(stmt->text(1), e.serial);
        if (!at)
            return pass(at);
        e.revoked_at = *at;
        const std::string reason_name = stmt->text(2);
        if (reason_name != last_reason_name) {
            last_reason_name = reason_name;
            last_reason = pki::parse_revocation_reason(reason_name)
                              .value_or(pki::RevocationReason::unspecified);
        }
        e.reason = last_reason;
        if (!stmt->is_null(3)) {
            auto inv = row_time(stmt->text(3), e.serial);
            if (!inv)
                return pass(inv);
            e.invalidity_date = *inv;
        }
        list.entries.push_back(std::move(e));
    }
    return list;
}

core::Result<std::int64_t> select_last_revocation_seq(Database& db, std::string_view ca) {
    auto stmt = db.prepare("SELECT COALESCE(MAX(seq), 0) FROM revocation_journal WHERE ca = :ca");
    if (!stmt)
        return pass(stmt);
    auto row = stmt->bind(":ca", ca).step();
    if (!row)
        return pass(row);
    return *row ? stmt->int64(0) : 0;
}

core::Result<std::vector<pki::RevocationChange>> select_revocations_after(Database& db,
                                                                          std::int64_t seq,
                                                                          std::size_t limit) {
    auto stmt = db.prepare(
        "SELECT seq, serial, ca FROM revocation_journal WHERE seq > :seq ORDER BY seq LIMIT "
        ":limit");
    if (!stmt)
        return pass(stmt);
    stmt->bind(":seq", seq).bind(":limit", static_cast<std::int64_t>(limit));
    std::vector<pki::RevocationChange> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return pass(row);
        if (!*row)
            return out;
        out.push_back({stmt->int64(0), stmt->text(1), stmt->text(2)});
    }
}

core::Result<std::optional<pki::CrlRecord>> select_latest_crl(Database& db, std::string_view ca,
                                                              bool with_der) {
    auto stmt = db.prepare(
        std::string("SELECT ca, number, this_update, next_update, entries, revocation_seq") +
        (with_der ? ", der" : "") + " FROM crls WHERE ca = :ca");
    if (!stmt)
        return pass(stmt);
    auto row = stmt->bind(":ca", ca).step();
    if (!row)
        return pass(row);
    if (!*row)
        return std::nullopt;
    pki::CrlRecord c;
    c.ca = stmt->text(0);
    c.number = stmt->int64(1);
    const std::string where = "CRL of " + c.ca;
    auto this_update = parse_row_time(stmt->text(2), where);
    if (!this_update)
        return pass(this_update);
    auto next_update = parse_row_time(stmt->text(3), where);
    if (!next_update)
        return pass(next_update);
    c.this_update = *this_update;
    c.next_update = *next_update;
    c.entries = static_cast<std::size_t>(stmt->int64(4));
    c.revocation_seq = stmt->int64(5);
    if (with_der)
        c.der = stmt->blob(6);
    return std::optional(std::move(c));
}

core::Result<void> upsert_crl(Database& db, const pki::CrlRecord& c) {
    auto current = select_latest_crl(db, c.ca, false);
    if (!current)
        return pass(current);
    if (*current && (*current)->number >= c.number)
        return core::fail(core::Errc::conflict, "crl.number_used",
                          "CRL number " + std::to_string(c.number) + " of " + c.ca +
                              " is not above the stored " + std::to_string((*current)->number));
    auto stmt = db.prepare(
        "INSERT INTO crls(ca, number, this_update, next_update, entries, revocation_seq, der) "
        "VALUES (:ca, :number, :this_update, :next_update, :entries, :seq, :der) "
        "ON CONFLICT(ca) DO UPDATE SET number = excluded.number, this_update = "
        "excluded.this_update, "
        "next_update = excluded.next_update, entries = excluded.entries, "
        "revocation_seq = excluded.revocation_seq, der = excluded.der");
    if (!stmt)
        return pass(stmt);
    stmt->bind(":ca", c.ca)
        .bind(":number", c.number)
        .bind(":this_update", core::format_utc(c.this_update))
        .bind(":next_update", core::format_utc(c.next_update))
        .bind(":entries", static_cast<std::int64_t>(c.entries))
        .bind(":seq", c.revocation_seq)
        .bind(":der", core::ByteView(c.der));
    auto r = stmt->run();
    if (!r && r.error().code == "storage.foreign_key")
        return core::fail(core::Errc::not_found, "ca.unknown", "no CA named " + c.ca);
    return r;
}

core::Result<void> insert_service_signer(Database& db, const pki::ServiceSignerRecord& s) {
    auto stmt = db.prepare(
        "INSERT INTO service_signers(certificate_serial, ca, purpose, key_ref, not_after, "
        "created_at) "
        "VALUES (:serial, :ca, :purpose, :key_ref, :not_after, :created_at)");
    if (!stmt)
        return pass(stmt);
    stmt->bind(":serial", s.certificate_serial)
        .bind(":ca", s.ca)
        .bind(":purpose", pki::to_string(s.purpose))
        .bind(":key_ref", s.key_ref)
        .bind(":not_after", core::format_utc(s.not_after))
        .bind(":created_at", core::format_utc(s.created_at));
    return stmt->run();
}

core::Result<std::vector<pki::ServiceSignerRecord>> select_service_signers(
    Database& db, std::string_view ca, pki::ServicePurpose purpose) {
    auto stmt = db.prepare(
        "SELECT certificate_serial, ca, purpose, key_ref, not_after, created_at FROM "
        "service_signers "
        "WHERE ca = :ca AND purpose = :purpose ORDER BY not_after DESC, created_at DESC");
    if (!stmt)
        return pass(stmt);
    stmt->bind(":ca", ca).bind(":purpose", pki::to_string(purpose));
    std::vector<pki::ServiceSignerRecord> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return pass(row);
        if (!*row)
            return out;
        pki::ServiceSignerRecord s;
        s.certificate_serial = stmt->text(0);
        s.ca = stmt->text(1);
        s.purpose = pki::parse_service_purpose(stmt->text(2)).value_or(pki::ServicePurpose::ocsp);
        s.key_ref = stmt->text(3);
        const std::string where = "service signer " + s.certificate_serial;
        auto not_after = parse_row_time(stmt->text(4), where);
        if (!not_after)
            return pass(not_after);
        auto created = parse_row_time(stmt->text(5), where);
        if (!created)
            return pass(created);
        s.not_after = *not_after;
        s.created_at = *created;
        out.push_back(std::move(s));
    }
}

}  // namespace eseal::store
