#include "store/identity_rows.hpp"

#include <string>
#include <utility>

#include "store/row_values.hpp"

namespace eseal::store {
namespace {

constexpr std::string_view kSelectCheck =
    "SELECT id, application_id, purpose, name, id_number, provider, provider_ref, url, status, "
    "detail, created_at, finished_at FROM identity_checks";

core::Result<ra::IdentityCheck> read_check(const Statement& row) {
    ra::IdentityCheck c;
    c.id = row.text(0);
    const std::string where = "identity check " + c.id;
    c.application_id = row.text(1);  // NULL reads as ""
    c.purpose = row.text(2);
    c.name = row.text(3);
    c.id_number = row.text(4);
    c.provider = row.text(5);
    c.provider_ref = row.text(6);
    c.url = row.text(7);
    const auto status = ra::parse_check_status(row.text(8));
    if (!status)
        return std::unexpected(corrupt(where, "unknown status '" + row.text(8) + "'"));
    c.status = *status;
    c.detail = row.text(9);
    auto created = read_time(row, 10, where);
    if (!created)
        return std::unexpected(std::move(created.error()));
    c.created_at = *created;
    auto finished = read_optional_time(row, 11, where);
    if (!finished)
        return std::unexpected(std::move(finished.error()));
    c.finished_at = *finished;
    return c;
}

core::Result<std::vector<ra::IdentityCheck>> read_checks(Statement& stmt) {
    std::vector<ra::IdentityCheck> out;
    for (;;) {
        auto row = stmt.step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return out;
        auto c = read_check(stmt);
        if (!c)
            return std::unexpected(std::move(c.error()));
        out.push_back(std::move(*c));
    }
}

core::Result<std::optional<ra::IdentityCheck>> first(Statement& stmt) {
    auto all = read_checks(stmt);
    if (!all)
        return std::unexpected(std::move(all.error()));
    if (all->empty())
        return std::nullopt;
    return std::optional(std::move(all->front()));
}

}  // namespace

core::Result<void> insert_check(Database& db, const ra::IdentityCheck& c) {
    auto stmt = db.prepare(
        "INSERT INTO identity_checks(id, application_id, purpose, name, id_number, provider, "
        "provider_ref, url, status, detail, created_at, finished_at) VALUES (:id, "
        ":application_id, :purpose, :name, :id_number, :provider, :provider_ref, :url, :status, "
        ":detail, :created_at, :finished_at)");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":id", c.id)
        .bind(":purpose", c.purpose)
        .bind(":name", c.name)
        .bind(":id_number", c.id_number)
        .bind(":provider", c.provider)
        .bind(":provider_ref", c.provider_ref)
        .bind(":url", c.url)
        .bind(":status", ra::to_string(c.status))
        .bind(":detail", c.detail)
        .bind(":created_at", core::format_utc(c.created_at));
    bind_text_or_null(*stmt, ":application_id", c.application_id);
    bind_time(*stmt, ":finished_at", c.finished_at);
    auto r = stmt->run();
    if (!r && r.error().kind == core::Errc::already_exists) {
        return core::fail(core::Errc::already_exists, "identity.duplicate",
                          "identity check " + c.id + " or " + c.provider + " reference '" +
                              c.provider_ref + "' is already stored");
    }
    if (!r && r.error().code == "storage.foreign_key") {
        return core::fail(
            core::Errc::not_found, "application.unknown",
            "identity check " + c.id + " for unknown application '" + c.application_id + "'");
    }
    return r;
}

core::Result<bool> finish_check_row(Database& db, const ra::IdentityCheck& c) {
    if (c.status == ra::CheckStatus::pending || !c.finished_at) {
        return core::fail(core::Errc::invalid_input, "identity.not_finished",
                          "identity check " + c.id + ": a result needs a final status and a time");
    }
    auto stmt = db.prepare(
        "UPDATE identity_checks SET status = :status, detail = :detail, finished_at = :finished_at "
        "WHERE id = :id AND status = 'pending' RETURNING id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":id", c.id)
        .bind(":status", ra::to_string(c.status))
        .bind(":detail", c.detail)
        .bind(":finished_at", core::format_utc(*c.finished_at));
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (*row) {
        if (auto r = stmt->run(); !r)
            return std::unexpected(std::move(r.error()));
        return true;
    }
    auto stored = select_check(db, c.id);
    if (!stored)
        return std::unexpected(std::move(stored.error()));
    if (!*stored)
        return core::fail(core::Errc::not_found, "identity.unknown", "no identity check " + c.id);
    return false;
}

core::Result<std::optional<ra::IdentityCheck>> select_check(Database& db, std::string_view id) {
    auto stmt = db.prepare(std::string(kSelectCheck) + " WHERE id = :id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":id", id);
    return first(*stmt);
}

core::Result<std::optional<ra::IdentityCheck>> select_check_by_ref(Database& db,
                                                                   std::string_view provider,
                                                                   std::string_view provider_ref) {
    auto stmt = db.prepare(std::string(kSelectCheck) +
                           " WHERE provider = :provider AND provider_ref = :provider_ref "
                           "AND provider_ref <> ''");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":provider", provider).bind(":provider_ref", provider_ref);
    return first(*stmt);
}

core::Result<std::vector<ra::IdentityCheck>> select_checks(Database& db,
                                                           std::string_view application_id) {
    auto stmt = db.prepare(std::string(kSelectCheck) +
                           " WHERE application_id = :application_id ORDER BY created_at, id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":application_id", application_id);
    return read_checks(*stmt);
}

}  // namespace eseal::store
