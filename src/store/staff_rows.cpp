#include "store/staff_rows.hpp"

#include <string>
#include <utility>

#include "store/row_values.hpp"
#include "store/session_table.hpp"

namespace eseal::store {
namespace {

constexpr SessionTable kStaffSessions{"staff_sessions", "staff_id", "staff.unknown", "staff account"};

constexpr const char* kStaffColumns =
    "SELECT id, login, display_name, password_hash, failed_attempts, locked_until, created_at FROM staff ";

core::Result<ra::StaffAccount> read_staff(const Statement& stmt) {
    ra::StaffAccount a;
    a.id = stmt.int64(0);
    a.login = stmt.text(1);
    const std::string where = "staff " + a.login;
    a.display_name = stmt.text(2);
    a.password_hash = stmt.text(3);
    a.failed_attempts = static_cast<int>(stmt.int64(4));
    auto locked = read_optional_time(stmt, 5, where);
    if (!locked)
        return std::unexpected(std::move(locked.error()));
    a.locked_until = *locked;
    auto created = read_time(stmt, 6, where);
    if (!created)
        return std::unexpected(std::move(created.error()));
    a.created_at = *created;
    return a;
}

core::Result<void> read_roles(Database& db, ra::StaffAccount& a) {
    auto stmt = db.prepare("SELECT role FROM staff_roles WHERE staff_id = :id ORDER BY rowid");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":id", a.id);
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            break;
        const auto name = stmt->text(0);
        auto role = ra::parse_role(name);
        if (!role)
            return std::unexpected(corrupt("staff " + a.login, "unknown role " + name));
        a.roles.push_back(*role);
    }
    return {};
}

core::Result<std::vector<ra::StaffAccount>> select_many(Database& db, std::string_view tail,
                                                        const char* param, const std::optional<std::int64_t>& id,
                                                        std::string_view login) {
    auto stmt = db.prepare(std::string(kStaffColumns) + std::string(tail));
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    if (param != nullptr) {
        if (id)
            stmt->bind(param, *id);
        else
            stmt->bind(param, login);
    }
    std::vector<ra::StaffAccount> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            break;
        auto a = read_staff(*stmt);
        if (!a)
            return std::unexpected(std::move(a.error()));
        out.push_back(std::move(*a));
    }
    for (auto& a : out)
        if (auto r = read_roles(db, a); !r)
            return std::unexpected(std::move(r.error()));
    return out;
}

core::Result<std::optional<ra::StaffAccount>> first(core::Result<std::vector<ra::StaffAccount>> all) {
    if (!all)
        return std::unexpected(std::move(all.error()));
    if (all->empty())
        return std::nullopt;
    return std::optional(std::move(all->front()));
}

}  // namespace

core::Result<std::int64_t> insert_staff(Database& db, const ra::StaffAccount& a) {
    auto stmt = db.prepare(
        "INSERT INTO staff(login, display_name, password_hash, failed_attempts, locked_until, created_at) "
        "VALUES (:login, :display_name, :password_hash, :failed_attempts, :locked_until, :created_at) RETURNING id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":login", a.login)
        .bind(":display_name", a.display_name)
        .bind(":password_hash", a.password_hash)
        .bind(":failed_attempts", std::int64_t{a.failed_attempts})
        .bind(":created_at", core::format_utc(a.created_at));
    bind_time(*stmt, ":locked_until", a.locked_until);
    auto row = stmt->step();
    if (!row) {
        if (row.error().kind == core::Errc::already_exists)
            return core::fail(core::Errc::already_exists, "staff.login_taken", "staff login " + a.login + " is taken");
        return std::unexpected(std::move(row.error()));
    }
    const std::int64_t id = stmt->int64(0);
    if (auto r = stmt->run(); !r)
        return std::unexpected(std::move(r.error()));
    for (auto role : a.roles) {
        auto ins = db.prepare("INSERT INTO staff_roles(staff_id, role) VALUES (:id, :role)");
        if (!ins)
            return std::unexpected(std::move(ins.error()));
        ins->bind(":id", id).bind(":role", ra::to_string(role));
        if (auto r = ins->run(); !r)
            return std::unexpected(std::move(r.error()));
    }
    return id;
}

core::Result<std::optional<ra::StaffAccount>> select_staff(Database& db, std::int64_t id) {
    return first(select_many(db, "WHERE id = :id", ":id", id, {}));
}

core::Result<std::optional<ra::StaffAccount>> select_staff_by_login(Database& db, std::string_view login) {
    return first(select_many(db, "WHERE login = :login", ":login", std::nullopt, login));
}

core::Result<std::vector<ra::StaffAccount>> select_all_staff(Database& db) {
    return select_many(db, "ORDER BY login", nullptr, std::nullopt, {});
}

core::Result<void> update_staff_login_row(Database& db, std::int64_t id, int failed_attempts,
                                          std::optional<core::TimePoint> locked_until) {
    auto stmt = db.prepare(
        "UPDATE staff SET failed_attempts = :failed, locked_until = :locked WHERE id = :id RETURNING id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":id", id).bind(":failed", std::int64_t{failed_attempts});
    bind_time(*stmt, ":locked", locked_until);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row)
        return core::fail(core::Errc::not_found, "staff.unknown", "no staff account " + std::to_string(id));
    return stmt->run();
}

core::Result<void> insert_staff_session(Database& db, const ra::StaffSession& s) {
    return insert_session_row<ra::StaffSession, &ra::StaffSession::staff_id>(db, kStaffSessions, s);
}

core::Result<std::optional<ra::StaffSession>> select_staff_session(Database& db, std::string_view token_hash) {
    return select_session_row<ra::StaffSession, &ra::StaffSession::staff_id>(db, kStaffSessions, token_hash);
}

core::Result<void> delete_staff_session_row(Database& db, std::string_view token_hash) {
    return delete_session_row(db, kStaffSessions, token_hash);
}

}  // namespace eseal::store
