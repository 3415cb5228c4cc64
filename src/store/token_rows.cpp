#include "store/token_rows.hpp"

#include "store/row_time.hpp"

namespace eseal::store {
namespace {

constexpr std::string_view kSelectToken =
    "SELECT serial, driver, module, label, state, so_pin_sealed, created_at, updated_at FROM tokens";

core::Result<token::TokenRecord> read_token(const Statement& row) {
    token::TokenRecord t;
    t.serial = row.text(0);
    const std::string where = "token " + t.serial;
    t.driver = row.text(1);
    t.module = row.text(2);
    t.label = row.text(3);
    const auto state = token::parse_token_state(row.text(4));
    if (!state) return core::fail(core::Errc::storage, "storage.corrupt", where + ": unknown state " + row.text(4));
    t.state = *state;
    if (!row.is_null(5)) t.so_pin_sealed = row.blob(5);
    auto created = parse_row_time(row.text(6), where);
    if (!created) return std::unexpected(created.error());
    t.created_at = *created;
    auto updated = parse_row_time(row.text(7), where);
    if (!updated) return std::unexpected(updated.error());
    t.updated_at = *updated;
    return t;
}

core::Result<void> read_certificates(Database& db, token::TokenRecord& t) {
    auto stmt = db.prepare(
        "SELECT certificate_serial, key_id, written_at FROM token_certificates WHERE token_serial = :serial "
        "ORDER BY written_at, certificate_serial");
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(":serial", t.serial);
    for (;;) {
        auto row = stmt->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) return {};
        auto at = parse_row_time(stmt->text(2), "token " + t.serial);
        if (!at) return std::unexpected(at.error());
        t.certificates.push_back({stmt->text(0), stmt->text(1), *at});
    }
}

}  // namespace

core::Result<void> insert_token(Database& db, const token::TokenRecord& t) {
    auto stmt = db.prepare(
        "INSERT INTO tokens(serial, driver, module, label, state, so_pin_sealed, created_at, updated_at) "
        "VALUES (:serial, :driver, :module, :label, :state, :so_pin_sealed, :created_at, :updated_at)");
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(":serial", t.serial)
        .bind(":driver", t.driver)
        .bind(":module", t.module)
        .bind(":label", t.label)
        .bind(":state", token::to_string(t.state))
        .bind(":so_pin_sealed", core::ByteView(t.so_pin_sealed))
        .bind(":created_at", core::format_utc(t.created_at))
        .bind(":updated_at", core::format_utc(t.updated_at));
    auto r = stmt->run();
    if (!r && r.error().kind == core::Errc::already_exists)
        return core::fail(core::Errc::already_exists, "token.duplicate", "token " + t.serial + " is already in the inventory");
    return r;
}

core::Result<void> update_token_row(Database& db, const token::TokenRecord& t) {
    auto stmt = db.prepare(
        "UPDATE tokens SET label = :label, state = :state, so_pin_sealed = :so_pin_sealed, updated_at = :updated_at "
        "WHERE serial = :serial RETURNING serial");
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(":serial", t.serial)
        .bind(":label", t.label)
        .bind(":state", token::to_string(t.state))
        .bind(":so_pin_sealed", core::ByteView(t.so_pin_sealed))
        .bind(":updated_at", core::format_utc(t.updated_at));
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return core::fail(core::Errc::not_found, "token.unknown", "token " + t.serial + " is not in the inventory");
    return stmt->run();
}

core::Result<void> set_token_state(Database& db, std::string_view serial, token::TokenState state, core::TimePoint at) {
    auto stmt = db.prepare("UPDATE tokens SET state = :state, updated_at = :at WHERE serial = :serial RETURNING serial");
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(":serial", serial).bind(":state", token::to_string(state)).bind(":at", core::format_utc(at));
    auto row = stmt->step();
    if (!row) return std::unexpected(row.error());
    if (!*row)
        return core::fail(core::Errc::not_found, "token.unknown", "token " + std::string(serial) + " is not in the inventory");
    return stmt->run();
}

core::Result<void> insert_token_certificate(Database& db, std::string_view token_serial, const token::TokenCertificate& c) {
    auto stmt = db.prepare(
        "INSERT INTO token_certificates(token_serial, certificate_serial, key_id, written_at) "
        "VALUES (:token, :certificate, :key_id, :at)");
    if (!stmt) return std::unexpected(stmt.error());
    stmt->bind(":token", token_serial)
        .bind(":certificate", c.certificate_serial)
        .bind(":key_id", c.key_id)
        .bind(":at", core::format_utc(c.written_at));
    auto r = stmt->run();
    if (!r && r.error().code == "storage.foreign_key")
        return core::fail(core::Errc::not_found, "token.link_unknown",
                          "token " + std::string(token_serial) + " or certificate " + c.certificate_serial + " is not stored");
    return r;
}

core::Result<std::optional<token::TokenRecord>> select_token(Database& db, std::string_view serial) {
    auto stmt = db.prepare(std::string(kSelectToken) + " WHERE serial = :serial");
    if (!stmt) return std::unexpected(stmt.error());
    auto row = stmt->bind(":serial", serial).step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::nullopt;
    auto t = read_token(*stmt);
    if (!t) return std::unexpected(t.error());
    if (auto r = read_certificates(db, *t); !r) return std::unexpected(r.error());
    return std::optional(std::move(*t));
}

core::Result<std::vector<token::TokenRecord>> select_tokens(Database& db, std::optional<token::TokenState> state) {
    auto stmt = db.prepare(std::string(kSelectToken) +
                           (state ? " WHERE state = :state" : "") + " ORDER BY created_at, serial");
    if (!stmt) return std::unexpected(stmt.error());
    if (state) stmt->bind(":state", token::to_string(*state));
    std::vector<token::TokenRecord> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        auto t = read_token(*stmt);
        if (!t) return std::unexpected(t.error());
        out.push_back(std::move(*t));
    }
    for (auto& t : out)
        if (auto r = read_certificates(db, t); !r) return std::unexpected(r.error());
    return out;
}

}  // namespace eseal::store
