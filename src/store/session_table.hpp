#pragma once
// The two session tables, `sessions` (applicants, 0004_ra.sql) and `staff_sessions` (staff,
// 0005), have the same shape: a hashed cookie token, the owner's id, the CSRF token, the client
// address, created and expires. One set of row functions serves both; the table says its name,
// its owner column and how an unknown owner is reported.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "store/database.hpp"
#include "store/row_values.hpp"

namespace eseal::store {

struct SessionTable {
    std::string_view table;         // "sessions"
    std::string_view owner_column;  // "account_id"
    std::string_view unknown_code;  // "account.unknown": an insert for an owner not stored
    std::string_view owner_noun;    // "account": for messages
};

// S has token_hash, csrf_token, client, created_at, expires_at and the owner id at `owner`.
template <class S, std::int64_t S::*Owner>
core::Result<void> insert_session_row(Database& db, const SessionTable& t, const S& s) {
    auto stmt = db.prepare("INSERT INTO " + std::string(t.table) + "(token_hash, " + std::string(t.owner_column) +
                           ", csrf_token, client, created_at, expires_at) "
                           "VALUES (:token_hash, :owner, :csrf_token, :client, :created_at, :expires_at)");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":token_hash", s.token_hash)
        .bind(":owner", s.*Owner)
        .bind(":csrf_token", s.csrf_token)
        .bind(":client", s.client)
        .bind(":created_at", core::format_utc(s.created_at))
        .bind(":expires_at", core::format_utc(s.expires_at));
    auto r = stmt->run();
    if (!r && r.error().kind == core::Errc::already_exists)
        return core::fail(core::Errc::already_exists, "session.duplicate", "session already stored");
    if (!r && r.error().code == "storage.foreign_key")
        return core::fail(core::Errc::not_found, std::string(t.unknown_code),
                          "session for unknown " + std::string(t.owner_noun) + " " + std::to_string(s.*Owner));
    return r;
}

template <class S, std::int64_t S::*Owner>
core::Result<std::optional<S>> select_session_row(Database& db, const SessionTable& t, std::string_view token_hash) {
    auto stmt = db.prepare("SELECT token_hash, " + std::string(t.owner_column) +
                           ", csrf_token, client, created_at, expires_at FROM " + std::string(t.table) +
                           " WHERE token_hash = :token_hash");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    auto row = stmt->bind(":token_hash", token_hash).step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row)
        return std::nullopt;
    S s;
    s.token_hash = stmt->text(0);
    s.*Owner = stmt->int64(1);
    s.csrf_token = stmt->text(2);
    s.client = stmt->text(3);
    // The token hash stays out of error messages: it is what a cookie is checked against.
    const std::string where = "session of " + std::string(t.owner_noun) + " " + std::to_string(s.*Owner);
    auto created = read_time(*stmt, 4, where);
    if (!created)
        return std::unexpected(std::move(created.error()));
    s.created_at = *created;
    auto expires = read_time(*stmt, 5, where);
    if (!expires)
        return std::unexpected(std::move(expires.error()));
    s.expires_at = *expires;
    return std::optional(std::move(s));
}

// Deleting a session that is not there is not an error: logging out twice is logging out.
inline core::Result<void> delete_session_row(Database& db, const SessionTable& t, std::string_view token_hash) {
    auto stmt = db.prepare("DELETE FROM " + std::string(t.table) + " WHERE token_hash = :token_hash");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    return stmt->bind(":token_hash", token_hash).run();
}

}  // namespace eseal::store
