#include "store/session_rows.hpp"

#include <string>
#include <utility>

#include "store/row_values.hpp"
#include "store/session_table.hpp"

namespace eseal::store {

core::Result<void> insert_login_code(Database& db, const ra::LoginCode& c) {
    auto stmt = db.prepare(
        "INSERT INTO login_codes(phone, code_hash, salt, client, created_at, expires_at, "
        "attempts, used) VALUES (:phone, :code_hash, :salt, :client, :created_at, :expires_at, "
        ":attempts, :used)");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":phone", c.phone)
        .bind(":code_hash", c.code_hash)
        .bind(":salt", c.salt)
        .bind(":client", c.client)
        .bind(":created_at", core::format_utc(c.created_at))
        .bind(":expires_at", core::format_utc(c.expires_at))
        .bind(":attempts", std::int64_t{c.attempts})
        .bind(":used", std::int64_t{c.used ? 1 : 0});
    return stmt->run();
}

core::Result<std::optional<ra::LoginCode>> select_latest_login_code(Database& db,
                                                                    std::string_view phone) {
    auto stmt = db.prepare(
        "SELECT id, phone, code_hash, salt, client, created_at, expires_at, attempts, used "
        "FROM login_codes WHERE phone = :phone AND used = 0 ORDER BY created_at DESC, id DESC "
        "LIMIT 1");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    auto row = stmt->bind(":phone", phone).step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row)
        return std::nullopt;
    ra::LoginCode c;
    c.id = stmt->int64(0);
    const std::string where = "login code " + std::to_string(c.id);
    c.phone = stmt->text(1);
    c.code_hash = stmt->text(2);
    c.salt = stmt->text(3);
    c.client = stmt->text(4);
    auto created = read_time(*stmt, 5, where);
    if (!created)
        return std::unexpected(std::move(created.error()));
    c.created_at = *created;
    auto expires = read_time(*stmt, 6, where);
    if (!expires)
        return std::unexpected(std::move(expires.error()));
    c.expires_at = *expires;
    c.attempts = static_cast<int>(stmt->int64(7));
    c.used = stmt->int64(8) != 0;
    return std::optional(std::move(c));
}

core::Result<void> update_login_code_row(Database& db, std::int64_t id, int attempts, bool used) {
    auto stmt = db.prepare(
        "UPDATE login_codes SET attempts = :attempts, used = :used WHERE id = :id RETURNING id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":id", id)
        .bind(":attempts", std::int64_t{attempts})
        .bind(":used", std::int64_t{used ? 1 : 0});
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row) {
        return core::fail(core::Errc::not_found, "login.code_unknown",
                          "no login code " + std::to_string(id));
    }
    return stmt->run();
}

core::Result<LoginCodeCounts> count_login_codes(Database& db, std::string_view phone,
                                                std::string_view client, core::TimePoint since) {
    auto stmt = db.prepare(
        "SELECT (SELECT COUNT(*) FROM login_codes WHERE phone = :phone AND created_at >= :since), "
        "(SELECT COUNT(*) FROM login_codes WHERE client = :client AND created_at >= :since)");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":phone", phone).bind(":client", client).bind(":since", core::format_utc(since));
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    return LoginCodeCounts{static_cast<int>(stmt->int64(0)), static_cast<int>(stmt->int64(1))};
}

namespace {
constexpr SessionTable kSessions{"sessions", "account_id", "account.unknown", "account"};
}  // namespace

core::Result<void> insert_session(Database& db, const ra::Session& s) {
    return insert_session_row<ra::Session, &ra::Session::account_id>(db, kSessions, s);
}

core::Result<std::optional<ra::Session>> select_session(Database& db, std::string_view token_hash) {
    return select_session_row<ra::Session, &ra::Session::account_id>(db, kSessions, token_hash);
}

core::Result<void> delete_session_row(Database& db, std::string_view token_hash) {
    return delete_session_row(db, kSessions, token_hash);
}

}  // namespace eseal::store
