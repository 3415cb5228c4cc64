// SqliteStore's ra::DeskRepository: the CA's side of an application (migrations/0006_ca_side.sql).
#include "store/application_rows.hpp"
#include "store/change_rows.hpp"
#include "store/desk_rows.hpp"
#include "store/material_rows.hpp"
#include "store/row_values.hpp"
#include "store/sqlite_store.hpp"

#include <nlohmann/json.hpp>

namespace eseal::store {

core::Result<std::optional<ra::DeskRecord>> SqliteStore::find_desk(const std::string& application_id) {
    const std::lock_guard lock(m_read_mutex);
    return select_desk(m_reader, application_id);
}

core::Result<void> SqliteStore::save_desk(const std::optional<ra::Application>& a, const ra::DeskRecord& desk,
                                          const std::vector<ra::Material>& materials,
                                          const ra::ApplicationChange& change) {
    if (a && a->id != desk.application_id) {
        return core::fail(core::Errc::internal, "desk.other_application",
                          "desk row of " + desk.application_id + " written with application " + a->id);
    }
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        // The application first: if someone moved it meanwhile, nothing else is written.
        if (a) {
            if (auto r = update_application_row(db, *a); !r)
                return r;
        }
        if (auto r = upsert_desk(db, desk); !r)
            return r;
        for (const auto& m : materials) {
            if (auto r = upsert_material(db, m); !r)
                return r;
        }
        return write_change(db, change);
    });
}

}  // namespace eseal::store

// ---- e-invoices (issue 7) ----------------------------------------------------------------------

namespace eseal::store {
namespace {

constexpr std::string_view kSelectInvoice =
    "SELECT number, order_no, application_id, buyer, buyer_credit_code, items, amount_fen, tax_rate_permille, "
    "tax_fen, issued_at, blob FROM invoices";

core::Result<ra::Invoice> read_invoice(const Statement& row) {
    ra::Invoice inv;
    inv.number = row.int64(0);
    const std::string where = "invoice " + std::to_string(inv.number);
    inv.order_no = row.text(1);
    inv.application_id = row.text(2);
    inv.buyer = row.text(3);
    inv.buyer_credit_code = row.text(4);
    auto items = nlohmann::json::parse(row.text(5), nullptr, false);
    if (!items.is_array())
        return std::unexpected(corrupt(where, "items is not a JSON array"));
    for (const auto& i : items) {
        if (!i.is_object() || !i.contains("item") || !i["item"].is_string() || !i.contains("amount_fen") ||
            !i["amount_fen"].is_number_integer())
            return std::unexpected(corrupt(where, "malformed item"));
        inv.lines.push_back({i["item"].get<std::string>(), i.value("quantity", std::int64_t{1}),
                             i["amount_fen"].get<std::int64_t>()});
    }
    inv.amount_fen = row.int64(6);
    inv.tax_rate_permille = row.int64(7);
    inv.tax_fen = row.int64(8);
    auto at = read_time(row, 9, where);
    if (!at)
        return std::unexpected(std::move(at.error()));
    inv.issued_at = *at;
    inv.blob = row.text(10);
    return inv;
}

}  // namespace

core::Result<std::int64_t> SqliteStore::reserve_invoice(const ra::Invoice& inv) {
    std::int64_t number = 0;
    auto r = m_writer.submit([&](Database& db) -> core::Result<void> {
        auto stmt = db.prepare(
            "INSERT INTO invoices(order_no, application_id, buyer, buyer_credit_code, items, amount_fen, "
            "tax_rate_permille, tax_fen, issued_at, blob) VALUES (:order, :app, :buyer, :code, :items, :amount, "
            ":rate, :tax, :at, '') ON CONFLICT (order_no) DO NOTHING RETURNING number");
        if (!stmt)
            return std::unexpected(std::move(stmt.error()));
        nlohmann::json items = nlohmann::json::array();
        for (const auto& l : inv.lines)
            items.push_back({{"item", l.item}, {"quantity", l.quantity}, {"amount_fen", l.amount_fen}});
        stmt->bind(":order", inv.order_no)
            .bind(":app", inv.application_id)
            .bind(":buyer", inv.buyer)
            .bind(":code", inv.buyer_credit_code)
            .bind(":items", items.dump())
            .bind(":amount", inv.amount_fen)
            .bind(":rate", inv.tax_rate_permille)
            .bind(":tax", inv.tax_fen)
            .bind(":at", core::format_utc(inv.issued_at));
        auto row = stmt->step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return core::fail(core::Errc::already_exists, "invoice.exists", "order " + inv.order_no + " has an invoice");
        number = stmt->int64(0);
        return stmt->run();
    });
    if (!r)
        return std::unexpected(std::move(r.error()));
    return number;
}

core::Result<void> SqliteStore::finish_invoice(std::int64_t number, const std::string& blob,
                                               const ra::ApplicationChange& change) {
    return m_writer.submit([&](Database& db) -> core::Result<void> {
        auto stmt = db.prepare("UPDATE invoices SET blob = :blob WHERE number = :number AND blob = '' RETURNING number");
        if (!stmt)
            return std::unexpected(std::move(stmt.error()));
        stmt->bind(":blob", blob).bind(":number", number);
        auto row = stmt->step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return core::fail(core::Errc::conflict, "invoice.finished",
                              "invoice " + std::to_string(number) + " is unknown or already has its PDF");
        if (auto r = stmt->run(); !r)
            return r;
        return write_change(db, change);
    });
}

core::Result<std::optional<ra::Invoice>> SqliteStore::find_invoice(std::int64_t number) {
    const std::lock_guard lock(m_read_mutex);
    auto stmt = m_reader.prepare(std::string(kSelectInvoice) + " WHERE number = :number");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":number", number);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(std::move(row.error()));
    if (!*row)
        return std::optional<ra::Invoice>{};
    auto inv = read_invoice(*stmt);
    if (!inv)
        return std::unexpected(std::move(inv.error()));
    return std::optional<ra::Invoice>{std::move(*inv)};
}

core::Result<std::vector<ra::Invoice>> SqliteStore::invoices_of(const std::string& application_id) {
    const std::lock_guard lock(m_read_mutex);
    auto stmt = m_reader.prepare(std::string(kSelectInvoice) + " WHERE application_id = :app ORDER BY number");
    if (!stmt)
        return std::unexpected(std::move(stmt.error()));
    stmt->bind(":app", application_id);
    std::vector<ra::Invoice> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return std::unexpected(std::move(row.error()));
        if (!*row)
            return out;
        auto inv = read_invoice(*stmt);
        if (!inv)
            return std::unexpected(std::move(inv.error()));
        out.push_back(std::move(*inv));
    }
}

}  // namespace eseal::store
