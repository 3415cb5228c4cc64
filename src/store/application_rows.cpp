#include "store/application_rows.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "store/application_form_json.hpp"
#include "store/row_values.hpp"

namespace eseal::store {
namespace {

constexpr std::string_view kSelectApplication =
    "SELECT id, account_id, business, cert_type, channel, state, fee_fen, version, created_at, "
    "updated_at, submitted_at, paid_at, form FROM applications";

core::Result<ra::Application> read_application(const Statement& row) {
    ra::Application a;
    a.id = row.text(0);
    const std::string where = "application " + a.id;
    a.account_id = row.is_null(1) ? 0 : row.int64(1);
    const auto business = ra::parse_business(row.text(2));
    const auto cert_type = ra::parse_cert_type(row.text(3));
    const auto channel = ra::parse_channel(row.text(4));
    const auto state = ra::parse_state(row.text(5));
    if (!business || !cert_type || !channel || !state) {
        return std::unexpected(corrupt(where, "unknown business, cert_type, channel or state '" +
                                                  row.text(2) + "', '" + row.text(3) + "', '" +
                                                  row.text(4) + "', '" + row.text(5) + "'"));
    }
    a.business = *business;
    a.cert_type = *cert_type;
    a.channel = *channel;
    a.state = *state;
    a.fee_fen = row.int64(6);
    a.version = row.int64(7);
    auto created = read_time(row, 8, where);
    if (!created)
        return std::unexpected(std::move(created.error()));
    a.created_at = *created;
    auto updated = read_time(row, 9, where);
    if (!updated)
        return std::unexpected(std::move(updated.error()));
    a.updated_at = *updated;
    auto submitted = read_optional_time(row, 10, where);
    if (!submitted)
        return std::unexpected(std::move(submitted.error()));
    a.submitted_at = *submitted;
    auto paid = read_optional_time(row, 11, where);
    if (!paid)
        return std::unexpected(std::move(paid.error()));
    a.paid_at = *paid;
    auto form = form_from_json(row.text(12), where);
    if (!form)
        return std::unexpected(std::move(form.error()));
    a.form = std::move(*form);
    return a;
}

// The columns both INSERT and UPDATE write.
core::Result<void> bind_row(Statement& stmt, const ra::Application& a) {
    auto form = form_to_json(a.form);
    if (!form)
        return std::unexpected(std::move(form.error()));
    stmt.bind(":id", a.id)
        .bind(":business", ra::to_string(a.business))
        .bind(":cert_type", ra::to_string(a.cert_type))
        .bind(":channel", ra::to_string(a.channel))
        .bind(":state", ra::to_string(a.state))
        .bind(":organization", a.form.organization.name)
        .bind(":credit_code", a.form.organization.credit_code)
        .bind(":handler_phone", a.form.handler.phone)
        .bind(":fee_fen", a.fee_fen)
        .bind(":updated_at", core::format_utc(a.updated_at))
        .bind(":form", *form);
    bind_time(stmt, ":submitted_at", a.submitted_at);
    bind_time(stmt, ":paid_at", a.paid_at);
    return {};
}

}  // namespace

core::Result<void> insert_application(Database& db, const ra::Application& a) {
    auto stmt = db.prepare(
        "INSERT INTO applications(id, account_id, business, cert_type, channel, state, "
        "organization, credit_code, handler_phone, fee_fen, version, created_at, updated_at, "
        "submitted_at, paid_at, form) VALUES (:id, :account_id, :business, :cert_type, :channel, "
        ":state, :organization, :credit_code, :handler_phone, :fee_fen, :version, :created_at, "
        ":updated_at, :submitted_at, :paid_at, :form)");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    if (auto r = bind_row(*stmt, a); !r)
        return r;
    bind_id_or_null(*stmt, ":account_id", a.account_id);
    stmt->bind(":version", a.version).bind(":created_at", core::format_utc(a.created_at));
    auto r = stmt->run();
    if (!r && r.error().kind == core::Errc::already_exists) {
        return core::fail(core::Errc::already_exists, "application.duplicate",
                          "application " + a.id + " is already stored");
    }
    if (!r && r.error().code == "storage.foreign_key") {
        return core::fail(core::Errc::not_found, "account.unknown",
                          "application " + a.id + ": no account " + std::to_string(a.account_id));
    }
    return r;
}

core::Result<void> update_application_row(Database& db, const ra::Application& a) {
    auto stmt = db.prepare(
        "UPDATE applications SET business = :business, cert_type = :cert_type, channel = :channel, "
        "state = :state, organization = :organization, credit_code = :credit_code, "
        "handler_phone = :handler_phone, fee_fen = :fee_fen, version = version + 1, "
        "updated_at = :updated_at, submitted_at = :submitted_at, paid_at = :paid_at, form = :form "
        "WHERE id = :id AND version = :version RETURNING version");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    if (auto r = bind_row(*stmt, a); !r)
        return r;
    stmt->bind(":version", a.version);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (*row)
        return stmt->run();

    // Nothing matched: say whether the row is gone or moved on.
    auto stored = db.prepare("SELECT version FROM applications WHERE id = :id");
    if (!stored)
        return std::unexpected(std::move(stored.error()));
    auto found = stored->bind(":id", a.id).step();
    if (!found)
        return std::unexpected(std::move(found.error()));
    if (!*found) {
        return core::fail(core::Errc::not_found, "application.unknown", "no application " + a.id);
    }
    return core::fail(core::Errc::conflict, "application.changed",
                      "application " + a.id + " changed since it was read (version " +
                          std::to_string(a.version) + ", now " + std::to_string(stored->int64(0)) +
                          ")");
}

core::Result<std::optional<ra::Application>> select_application(Database& db, std::string_view id) {
    auto stmt = db.prepare(std::string(kSelectApplication) + " WHERE id = :id");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    auto row = stmt->bind(":id", id).step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row)
        return std::nullopt;
    auto a = read_application(*stmt);
    if (!a)
        return std::unexpected(std::move(a.error()));
    return std::optional(std::move(*a));
}

core::Result<std::vector<ra::Application>> select_applications(Database& db,
                                                               const ra::ApplicationQuery& q) {
    std::string sql(kSelectApplication);
    std::string where;
    const auto narrow = [&](std::string_view condition) {
        where += where.empty() ? " WHERE " : " AND ";
        where += condition;
    };
    if (q.account_id)
        narrow(*q.account_id == 0 ? "account_id IS NULL" : "account_id = :account_id");
    if (q.state)
        narrow("state = :state");
    auto stmt = db.prepare(sql + where + " ORDER BY created_at, id LIMIT :limit");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    if (q.account_id && *q.account_id != 0)
        stmt->bind(":account_id", *q.account_id);
    if (q.state)
        stmt->bind(":state", ra::to_string(*q.state));
    constexpr auto kMaxLimit = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    stmt->bind(":limit", static_cast<std::int64_t>(std::min(q.limit, kMaxLimit)));
    std::vector<ra::Application> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return out;
        auto a = read_application(*stmt);
        if (!a)
            return std::unexpected(std::move(a.error()));
        out.push_back(std::move(*a));
    }
}

}  // namespace eseal::store
