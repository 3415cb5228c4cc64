#include "store/account_rows.hpp"

#include <string>
#include <utility>

#include "store/row_values.hpp"

namespace eseal::store {
namespace {

core::Result<std::optional<ra::Account>> select_one(Database& db, std::string_view condition,
                                                    auto bind) {
    auto stmt =
        db.prepare("SELECT id, phone, created_at FROM accounts WHERE " + std::string(condition));
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    bind(*stmt);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row)
        return std::nullopt;
    ra::Account a;
    a.id = stmt->int64(0);
    a.phone = stmt->text(1);
    auto created = read_time(*stmt, 2, "account " + std::to_string(a.id));
    if (!created)
        return std::unexpected(std::move(created.error()));
    a.created_at = *created;
    return std::optional(std::move(a));
}

}  // namespace

core::Result<ra::Account> insert_account(Database& db, std::string_view phone,
                                         core::TimePoint created_at) {
    auto stmt = db.prepare(
        "INSERT INTO accounts(phone, created_at) VALUES (:phone, :created_at) RETURNING id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":phone", phone).bind(":created_at", core::format_utc(created_at));
    auto row = stmt->step();
    if (!row && row.error().kind == core::Errc::already_exists) {
        return core::fail(core::Errc::already_exists, "account.duplicate",
                          "phone " + std::string(phone) + " already has an account");
    }
    if (!row)
        return std::unexpected(std::move(row.error()));
    ra::Account a{stmt->int64(0), std::string(phone), created_at};
    if (auto r = stmt->run(); !r)
        return std::unexpected(std::move(r.error()));
    return a;
}

core::Result<std::optional<ra::Account>> select_account(Database& db, std::int64_t id) {
    return select_one(db, "id = :id", [&](Statement& s) { s.bind(":id", id); });
}

core::Result<std::optional<ra::Account>> select_account_by_phone(Database& db,
                                                                 std::string_view phone) {
    return select_one(db, "phone = :phone", [&](Statement& s) { s.bind(":phone", phone); });
}

core::Result<void> insert_consent(Database& db, const ra::Consent& c) {
    auto stmt = db.prepare(
        "INSERT INTO consents(account_id, document, version, client, at) "
        "VALUES (:account_id, :document, :version, :client, :at)");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":account_id", c.account_id)
        .bind(":document", c.document)
        .bind(":version", c.version)
        .bind(":client", c.client)
        .bind(":at", core::format_utc(c.at));
    auto r = stmt->run();
    if (!r && r.error().code == "storage.foreign_key") {
        return core::fail(core::Errc::not_found, "account.unknown",
                          "consent for unknown account " + std::to_string(c.account_id));
    }
    return r;
}

core::Result<std::vector<ra::Consent>> select_consents(Database& db, std::int64_t account_id) {
    auto stmt = db.prepare(
        "SELECT account_id, document, version, client, at FROM consents "
        "WHERE account_id = :account_id ORDER BY at, id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":account_id", account_id);
    std::vector<ra::Consent> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return out;
        ra::Consent c;
        c.account_id = stmt->int64(0);
        c.document = stmt->text(1);
        c.version = stmt->text(2);
        c.client = stmt->text(3);
        auto at = read_time(*stmt, 4, "consent of account " + std::to_string(account_id));
        if (!at)
            return std::unexpected(std::move(at.error()));
        c.at = *at;
        out.push_back(std::move(c));
    }
}

}  // namespace eseal::store
