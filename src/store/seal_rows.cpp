#include "store/seal_rows.hpp"

#include <string>
#include <utility>

#include "store/row_values.hpp"

namespace eseal::store {
namespace {

constexpr std::string_view kSelectSeal =
    "SELECT id, credit_code, organization, admin_account, kind, name, status, status_reason, "
    "picture_source, "
    "org_certificate, bound, der, valid_start, valid_end, created_at, updated_at, version FROM "
    "seals";

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
    return out;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto comma = text.find(',', at);
        const auto end = comma == std::string::npos ? text.size() : comma;
        out.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

core::Result<ra::SealRecord> read_seal(const Statement& row) {
    ra::SealRecord s;
    s.id = row.text(0);
    const std::string where = "seal " + s.id;
    s.credit_code = row.text(1);
    s.organization = row.text(2);
    s.admin_account = row.int64(3);
    s.kind = row.text(4);
    s.name = row.text(5);
    const auto status = ra::parse_seal_status(row.text(6));
    if (!status || *status == ra::SealStatus::expired)
        return std::unexpected(corrupt(where, "unknown status '" + row.text(6) + "'"));
    s.status = *status;
    s.status_reason = row.text(7);
    s.picture_source = row.text(8);
    s.org_certificate = row.text(9);
    s.bound = split(row.text(10));
    s.der = row.blob(11);
    core::TimePoint* times[] = {&s.valid_start, &s.valid_end, &s.created_at, &s.updated_at};
    for (int i = 0; i < 4; ++i) {
        auto t = read_time(row, 12 + i, where);
        if (!t)
            return std::unexpected(std::move(t.error()));
        *times[i] = *t;
    }
    s.version = row.int64(16);
    return s;
}

template <class T, class Read>
core::Result<std::vector<T>> read_all(Statement& stmt, Read read) {
    std::vector<T> out;
    for (;;) {
        auto row = stmt.step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return out;
        auto item = read(stmt);
        if (!item)
            return std::unexpected(std::move(item.error()));
        out.push_back(std::move(*item));
    }
}

void bind_seal(Statement& stmt, const ra::SealRecord& s) {
    stmt.bind(":id", s.id)
        .bind(":status", ra::to_string(s.status))
        .bind(":status_reason", s.status_reason)
        .bind(":bound", join(s.bound))
        .bind(":der", core::ByteView(s.der))
        .bind(":updated_at", core::format_utc(s.updated_at));
}

constexpr std::string_view kSelectAuthorization =
    "SELECT id, seal_id, person_name, phone, granted_by, granted_at, revoked_at FROM "
    "seal_authorizations";

core::Result<ra::SealAuthorization> read_authorization(const Statement& row) {
    ra::SealAuthorization a;
    a.id = row.int64(0);
    const std::string where = "seal authorization " + std::to_string(a.id);
    a.seal_id = row.text(1);
    a.person_name = row.text(2);
    a.phone = row.text(3);
    a.granted_by = row.text(4);
    auto granted = read_time(row, 5, where);
    if (!granted)
        return std::unexpected(std::move(granted.error()));
    a.granted_at = *granted;
    auto revoked = read_optional_time(row, 6, where);
    if (!revoked)
        return std::unexpected(std::move(revoked.error()));
    a.revoked_at = *revoked;
    return a;
}

constexpr std::string_view kSelectUse =
    "SELECT id, seal_id, document_sha256, document_name, signer, certificate_serial, at, verified "
    "FROM seal_uses";

core::Result<ra::SealUse> read_use(const Statement& row) {
    ra::SealUse u;
    u.id = row.int64(0);
    u.seal_id = row.text(1);
    u.document_sha256 = row.text(2);
    u.document_name = row.text(3);
    u.signer = row.text(4);
    u.certificate_serial = row.text(5);
    auto at = read_time(row, 6, "seal use " + std::to_string(u.id));
    if (!at)
        return std::unexpected(std::move(at.error()));
    u.at = *at;
    u.verified = row.int64(7) != 0;
    return u;
}

constexpr std::string_view kSelectChallenge =
    "SELECT id, seal_id, account_id, challenge, origin, check_id, created_at, expires_at, used_at "
    "FROM seal_binding_challenges";

core::Result<ra::BindingChallenge> read_challenge(const Statement& row) {
    ra::BindingChallenge c;
    c.id = row.text(0);
    const std::string where = "binding challenge " + c.id;
    c.seal_id = row.text(1);
    c.account_id = row.int64(2);
    c.challenge = row.text(3);
    c.origin = row.text(4);
    c.check_id = row.text(5);
    auto created = read_time(row, 6, where);
    if (!created)
        return std::unexpected(std::move(created.error()));
    c.created_at = *created;
    auto expires = read_time(row, 7, where);
    if (!expires)
        return std::unexpected(std::move(expires.error()));
    c.expires_at = *expires;
    auto used = read_optional_time(row, 8, where);
    if (!used)
        return std::unexpected(std::move(used.error()));
    c.used_at = *used;
    return c;
}

}  // namespace

core::Result<void> insert_seal(Database& db, const ra::SealRecord& s) {
    auto stmt = db.prepare(
        "INSERT INTO seals(id, credit_code, organization, admin_account, kind, name, status, "
        "status_reason, "
        "picture_source, org_certificate, bound, der, valid_start, valid_end, created_at, "
        "updated_at, version) "
        "VALUES (:id, :credit_code, :organization, :admin_account, :kind, :name, :status, "
        ":status_reason, "
        ":picture_source, :org_certificate, :bound, :der, :valid_start, :valid_end, :created_at, "
        ":updated_at, "
        ":version)");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    bind_seal(*stmt, s);
    stmt->bind(":credit_code", s.credit_code)
        .bind(":organization", s.organization)
        .bind(":admin_account", s.admin_account)
        .bind(":kind", s.kind)
        .bind(":name", s.name)
        .bind(":picture_source", s.picture_source)
        .bind(":org_certificate", s.org_certificate)
        .bind(":valid_start", core::format_utc(s.valid_start))
        .bind(":valid_end", core::format_utc(s.valid_end))
        .bind(":created_at", core::format_utc(s.created_at))
        .bind(":version", s.version);
    auto r = stmt->run();
    if (!r && r.error().kind == core::Errc::already_exists)
        return core::fail(core::Errc::already_exists, "seal.duplicate",
                          "seal " + s.id + " is already stored");
    return r;
}

core::Result<void> update_seal_row(Database& db, const ra::SealRecord& s) {
    auto stmt = db.prepare(
        "UPDATE seals SET status = :status, status_reason = :status_reason, bound = :bound, der = "
        ":der, "
        "updated_at = :updated_at, version = version + 1 WHERE id = :id AND version = :version "
        "RETURNING version");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    bind_seal(*stmt, s);
    stmt->bind(":version", s.version);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (*row)
        return stmt->run();
    auto stored = select_seal(db, s.id);
    if (!stored)
        return std::unexpected(std::move(stored.error()));
    if (!*stored)
        return core::fail(core::Errc::not_found, "seal.unknown", "no seal " + s.id);
    return core::fail(core::Errc::conflict, "seal.changed",
                      "seal " + s.id + " changed since it was read (version " +
                          std::to_string(s.version) + ", now " +
                          std::to_string((*stored)->version) + ")");
}

core::Result<std::optional<ra::SealRecord>> select_seal(Database& db, std::string_view id) {
    auto stmt = db.prepare(std::string(kSelectSeal) + " WHERE id = :id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":id", id);
    auto all = read_all<ra::SealRecord>(*stmt, read_seal);
    if (!all)
        return std::unexpected(std::move(all.error()));
    if (all->empty())
        return std::nullopt;
    return std::optional(std::move(all->front()));
}

core::Result<std::vector<ra::SealRecord>> select_seals_of(Database& db,
                                                          std::string_view credit_code) {
    auto stmt = db.prepare(std::string(kSelectSeal) +
                           " WHERE credit_code = :credit_code ORDER BY created_at, id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":credit_code", credit_code);
    return read_all<ra::SealRecord>(*stmt, read_seal);
}

core::Result<ra::SealAuthorization> insert_authorization(Database& db,
                                                         const ra::SealAuthorization& a) {
    auto stmt = db.prepare(
        "INSERT INTO seal_authorizations(seal_id, person_name, phone, granted_by, granted_at, "
        "revoked_at) "
        "VALUES (:seal_id, :person_name, :phone, :granted_by, :granted_at, NULL) RETURNING id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":seal_id", a.seal_id)
        .bind(":person_name", a.person_name)
        .bind(":phone", a.phone)
        .bind(":granted_by", a.granted_by)
        .bind(":granted_at", core::format_utc(a.granted_at));
    auto row = stmt->step();
    if (!row && row.error().kind == core::Errc::already_exists)
        return core::fail(core::Errc::already_exists, "seal.already_authorized",
                          a.phone + " is already authorized to use seal " + a.seal_id);
    if (!row)
        return std::unexpected(std::move(row.error()));
    ra::SealAuthorization out = a;
    out.id = stmt->int64(0);
    if (auto r = stmt->run(); !r)
        return std::unexpected(std::move(r.error()));
    return out;
}

core::Result<void> revoke_authorization_row(Database& db, std::string_view seal_id, std::int64_t id,
                                            core::TimePoint at) {
    auto stmt = db.prepare(
        "UPDATE seal_authorizations SET revoked_at = :at WHERE id = :id AND seal_id = :seal_id AND "
        "revoked_at IS NULL "
        "RETURNING id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":at", core::format_utc(at)).bind(":id", id).bind(":seal_id", seal_id);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row)
        return core::fail(
            core::Errc::not_found, "seal.authorization_unknown",
            "no live authorization " + std::to_string(id) + " for seal " + std::string(seal_id));
    return stmt->run();
}

core::Result<std::vector<ra::SealAuthorization>> select_authorizations(Database& db,
                                                                       std::string_view seal_id) {
    auto stmt =
        db.prepare(std::string(kSelectAuthorization) + " WHERE seal_id = :seal_id ORDER BY id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":seal_id", seal_id);
    return read_all<ra::SealAuthorization>(*stmt, read_authorization);
}

core::Result<ra::SealUse> insert_use(Database& db, const ra::SealUse& u) {
    auto stmt = db.prepare(
        "INSERT INTO seal_uses(seal_id, document_sha256, document_name, signer, "
        "certificate_serial, at, verified) "
        "VALUES (:seal_id, :document_sha256, :document_name, :signer, :certificate_serial, :at, "
        ":verified) RETURNING id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":seal_id", u.seal_id)
        .bind(":document_sha256", u.document_sha256)
        .bind(":document_name", u.document_name)
        .bind(":signer", u.signer)
        .bind(":certificate_serial", u.certificate_serial)
        .bind(":at", core::format_utc(u.at))
        .bind(":verified", std::int64_t{u.verified ? 1 : 0});
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    ra::SealUse out = u;
    out.id = stmt->int64(0);
    if (auto r = stmt->run(); !r)
        return std::unexpected(std::move(r.error()));
    return out;
}

core::Result<std::vector<ra::SealUse>> select_uses(Database& db, std::string_view seal_id,
                                                   std::size_t limit) {
    auto stmt = db.prepare(std::string(kSelectUse) +
                           " WHERE seal_id = :seal_id ORDER BY id DESC LIMIT :limit");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":seal_id", seal_id)
        .bind(":limit",
              static_cast<std::int64_t>(limit == 0 ? -1 : static_cast<std::int64_t>(limit)));
    return read_all<ra::SealUse>(*stmt, read_use);
}

core::Result<void> insert_challenge(Database& db, const ra::BindingChallenge& c) {
    auto stmt = db.prepare(
        "INSERT INTO seal_binding_challenges(id, seal_id, account_id, challenge, origin, check_id, "
        "created_at, "
        "expires_at, used_at) VALUES (:id, :seal_id, :account_id, :challenge, :origin, :check_id, "
        ":created_at, "
        ":expires_at, :used_at)");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":id", c.id)
        .bind(":seal_id", c.seal_id)
        .bind(":account_id", c.account_id)
        .bind(":challenge", c.challenge)
        .bind(":origin", c.origin)
        .bind(":check_id", c.check_id)
        .bind(":created_at", core::format_utc(c.created_at))
        .bind(":expires_at", core::format_utc(c.expires_at));
    bind_time(*stmt, ":used_at", c.used_at);
    return stmt->run();
}

core::Result<std::optional<ra::BindingChallenge>> select_challenge(Database& db,
                                                                   std::string_view id) {
    auto stmt = db.prepare(std::string(kSelectChallenge) + " WHERE id = :id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":id", id);
    auto all = read_all<ra::BindingChallenge>(*stmt, read_challenge);
    if (!all)
        return std::unexpected(std::move(all.error()));
    if (all->empty())
        return std::nullopt;
    return std::optional(std::move(all->front()));
}

core::Result<bool> use_challenge_row(Database& db, std::string_view id, core::TimePoint at) {
    auto stmt = db.prepare(
        "UPDATE seal_binding_challenges SET used_at = :at WHERE id = :id AND used_at IS NULL "
        "RETURNING id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":at", core::format_utc(at)).bind(":id", id);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (*row) {
        if (auto r = stmt->run(); !r)
            return std::unexpected(std::move(r.error()));
        return true;
    }
    auto stored = select_challenge(db, id);
    if (!stored)
        return std::unexpected(std::move(stored.error()));
    if (!*stored)
        return core::fail(core::Errc::not_found, "binding.challenge_unknown",
                          "no binding challenge " + std::string(id));
    return false;
}

}  // namespace eseal::store
